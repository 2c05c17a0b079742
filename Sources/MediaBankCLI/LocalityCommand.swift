import ArgumentParser
import MediaBank
import Messages

struct LocalityCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "locality",
    abstract: "Resolve locality names and GPS points to today's provinces and communes.",
    discussion: """
      Uses the 34 provinces and 3,321 communes in force since 1 July 2025, the 63 former provinces, \
      former districts and communes, and simplified boundaries shipped with MediaBank. No bank is needed.
      """,
    subcommands: [ResolveLocalityCommand.self, LocateCommand.self])
}

struct ResolveLocalityCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "resolve",
    abstract: "Resolve a locality name or code to today's province and commune.",
    discussion: """
      Accepts codes (2-digit province, 5-digit commune, old codes), full or short names with or \
      without diacritics and unit type ("Tỉnh", "TP.", "Phường", "Xã", "Quận", "Huyện" …), aliases \
      ("TP HCM", "Sài Gòn", "Huế") and old names of former provinces, districts and communes. \
      "Commune, Province" picks among communes of the same name. Exit status 1 when the text is \
      ambiguous (the candidates are listed, the primary successor of a split commune first) or unknown.
      """)

  @Argument(
    help: ArgumentHelp("A locality name or code, e.g. \"Bắc Kạn\" or \"Hoàn Kiếm, Hà Nội\".", valueName: "text"))
  var text: String

  @Flag(help: "Print the resolution as JSON: status (resolved, ambiguous, not-found) and the match or candidates.")
  var json = false

  func run() throws {
    let resolution = try fatalOnError { try Localities.resolve(text) }
    if json {
      try printJSON(resolution)
    } else {
      switch resolution {
      case .resolved(let match):
        print("\(text) → \(match)")
      case .ambiguous(let candidates):
        print(say(.ambiguousPlace(text, candidates: candidates.count)))
        for candidate in candidates { print("  \(candidate)") }
      case .notFound:
        printError(say(.noSuchPlace(text)))
      }
    }
    if resolution.match == nil { throw Status.partialFailure }
  }
}

struct LocateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "at",
    abstract: "Find the commune and province of a GPS point.",
    discussion: """
      The point is given in decimal degrees (WGS 84), latitude first. A point just outside the \
      simplified boundaries (on a border, a beach or just offshore) gets the nearest commune within \
      2 km. Exit status 1 when the point is not in Vietnam.
      """)

  @Argument(help: ArgumentHelp("Latitude in decimal degrees, e.g. 21.0326.", valueName: "lat"))
  var latitude: Double

  @Argument(help: ArgumentHelp("Longitude in decimal degrees, e.g. 105.8497.", valueName: "lon"))
  var longitude: Double

  @Flag(help: "Print the commune, the province and the distance to the boundary (0 inside) as JSON.")
  var json = false

  func validate() throws {
    guard (-90...90).contains(latitude) else { throw ValidationError("latitude must be between -90 and 90") }
    guard (-180...180).contains(longitude) else { throw ValidationError("longitude must be between -180 and 180") }
  }

  func run() throws {
    guard let location = try fatalOnError({ try Localities.locate(latitude: latitude, longitude: longitude) }) else {
      printError(say(.notInVietnam(latitude: "\(latitude)", longitude: "\(longitude)")))
      throw Status.partialFailure
    }
    if json {
      try printJSON(location)
    } else {
      var line =
        "\(location.commune.code) \(location.commune.name), \(location.province.code) \(location.province.name)"
      if !location.isInside { line += say(.nearestOutside(meters: Int(location.distance.rounded()))) }
      print(line)
    }
  }
}
