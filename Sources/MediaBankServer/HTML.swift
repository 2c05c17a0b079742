import MediaBank

/// Text made safe to put in HTML, between tags or in a quoted attribute: `&`, `<`, `>`, `"` and
/// `'` become character references (and control characters go), as the report's XML escapes
/// them. Every string a person or a file supplied goes through it.
func escape(_ text: String) -> String {
  ReportDocument.escaped(text)
}

/// `text` percent-encoded for a URL's query value (RFC 3986 unreserved characters kept).
func queryValue(_ text: String) -> String {
  var result = ""
  for byte in text.utf8 {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
      UInt8(ascii: "~"):
      result.unicodeScalars.append(Unicode.Scalar(byte))
    default:
      let hex = String(byte, radix: 16, uppercase: true)
      result += "%" + (hex.count == 1 ? "0" + hex : hex)
    }
  }
  return result
}

/// A query string (`?a=1&b=2`) of the pairs whose value is not nil or empty; "" when none is.
func queryString(_ pairs: [(String, String?)]) -> String {
  let parts = pairs.compactMap { name, value in
    value.flatMap { $0.isEmpty ? nil : "\(name)=\(queryValue($0))" }
  }
  return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
}
