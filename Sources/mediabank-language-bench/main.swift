// mediabank-language-bench: runs the language detector over a labelled test set for
// `scripts/bench-language`.
//
//   mediabank-language-bench < texts.tsv > tags.txt
//
// Reads lines `label<TAB>text` on standard input (the label is not used; a line without a tab is
// all text) and prints, for each line in order, the tag that `LanguageDetector.shared()` tells for
// the text, or `-` when it gives no answer: one tag a line. At the end it prints on standard error
// ONE line of `key=value` pairs with the time spent, e.g.
// `detect seconds=0.0123 texts=5000 load_seconds=0.0456`: `seconds` is the detection alone (the
// texts are read before the clock starts, the answers printed after it stops), `load_seconds` the
// loading of the profiles. One thread.
import Foundation
import SystemIO
import Taxonomy

func fail(_ message: String, status: Int32 = 2) -> Never {
  IO.writeToStandardError("mediabank-language-bench: \(message)\n")
  exit(status)
}

/// Seconds in a duration.
func seconds(_ duration: Duration) -> Double {
  Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

guard CommandLine.arguments.count == 1 else { fail("usage: mediabank-language-bench < label<TAB>text lines") }

var texts: [String] = []
while let line = readLine(strippingNewline: true) {
  if let tab = line.firstIndex(of: "\t") {
    texts.append(String(line[line.index(after: tab)...]))
  } else {
    texts.append(line)
  }
}

let loadStart = ContinuousClock.now
let detector: LanguageDetector
do { detector = try LanguageDetector.shared() } catch { fail("\(error)", status: 1) }
let loadSeconds = seconds(ContinuousClock.now - loadStart)

var tags: [String] = []
tags.reserveCapacity(texts.count)
let start = ContinuousClock.now
for text in texts {
  tags.append(detector.detect(text)?.tag ?? "-")
}
let detectSeconds = seconds(ContinuousClock.now - start)

var output = tags.joined(separator: "\n")
if !tags.isEmpty { output += "\n" }
do {
  try IO.writeToStandardOutput(Array(output.utf8))
} catch {
  fail(error.description)
}
IO.writeToStandardError("detect seconds=\(detectSeconds) texts=\(texts.count) load_seconds=\(loadSeconds)\n")
