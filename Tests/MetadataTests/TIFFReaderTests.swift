import Testing

@testable import Metadata

/// MediaBank's own TIFF reader, the fallback for EXIF blocks libexif does not read completely.
@Suite struct TIFFReaderTests {
  /// A TIFF block built entry by entry: IFD0 at 8, then the Exif IFD, then the GPS IFD.
  struct Builder {
    var bigEndian: Bool
    var ifd0: [(Int, Int, Int, [UInt8])] = []
    var exif: [(Int, Int, Int, [UInt8])]?
    var gps: [(Int, Int, Int, [UInt8])]?

    func u16(_ value: Int) -> [UInt8] {
      bigEndian ? [UInt8(value >> 8 & 0xff), UInt8(value & 0xff)] : [UInt8(value & 0xff), UInt8(value >> 8 & 0xff)]
    }

    func u32(_ value: Int) -> [UInt8] {
      bigEndian ? u16(value >> 16) + u16(value & 0xffff) : u16(value & 0xffff) + u16(value >> 16)
    }

    func ascii(_ tag: Int, _ text: String) -> (Int, Int, Int, [UInt8]) {
      (tag, 2, text.utf8.count + 1, Array(text.utf8) + [0])
    }

    func rationals(_ tag: Int, _ values: [(Int, Int)], signed: Bool = false) -> (Int, Int, Int, [UInt8]) {
      (tag, signed ? 10 : 5, values.count, values.flatMap { u32($0.0) + u32($0.1) })
    }

    /// The block; `pointerOverride` replaces the GPS IFD offset written in IFD0.
    func build(gpsPointer pointerOverride: Int? = nil) -> [UInt8] {
      var directories: [[(Int, Int, Int, [UInt8])]] = [ifd0]
      if exif != nil { directories[0].append((0x8769, 4, 1, [0, 0, 0, 0])) }
      if gps != nil { directories[0].append((0x8825, 4, 1, [0, 0, 0, 0])) }
      if let exif { directories.append(exif) }
      if let gps { directories.append(gps) }
      func size(_ entries: [(Int, Int, Int, [UInt8])]) -> Int {
        6 + 12 * entries.count + entries.reduce(0) { $0 + ($1.3.count > 4 ? $1.3.count : 0) }
      }
      var offsets: [Int] = []
      var at = 8
      for directory in directories {
        offsets.append(at)
        at += size(directory)
      }
      var out: [UInt8] = (bigEndian ? [0x4d, 0x4d, 0, 0x2a] : [0x49, 0x49, 0x2a, 0]) + u32(8)
      for (index, var entries) in directories.enumerated() {
        if index == 0 {
          var next = 1
          for (position, entry) in entries.enumerated() where entry.0 == 0x8769 || entry.0 == 0x8825 {
            let offset = entry.0 == 0x8825 ? (pointerOverride ?? offsets[next]) : offsets[next]
            entries[position].3 = u32(offset)
            next += 1
          }
        }
        var valuesAt = out.count + 6 + 12 * entries.count
        var values: [UInt8] = []
        out += u16(entries.count)
        for (tag, type, count, data) in entries {
          out += u16(tag) + u16(type) + u32(count)
          if data.count <= 4 {
            out += data + [UInt8](repeating: 0, count: 4 - data.count)
          } else {
            out += u32(valuesAt)
            valuesAt += data.count
            values += data
          }
        }
        out += u32(0) + values
      }
      return out
    }
  }

  func sample(bigEndian: Bool) -> Builder {
    var builder = Builder(bigEndian: bigEndian)
    builder.ifd0 = [
      builder.ascii(0x010f, "Canon"), builder.ascii(0x0110, "Canon EOS R6"), (0x0112, 3, 1, builder.u16(6)),
    ]
    builder.exif = [
      builder.ascii(0x9003, "2024:03:15 06:30:00"), builder.ascii(0x9011, "+07:00"), builder.ascii(0x9291, "5"),
    ]
    builder.gps = [
      builder.ascii(0x0001, "S"), builder.rationals(0x0002, [(22, 1), (57, 1), (171, 25)]),
      builder.ascii(0x0003, "W"), builder.rationals(0x0004, [(43, 1), (12, 1), (189, 5)]),
      (0x0005, 1, 1, [1]), builder.rationals(0x0006, [(12, 1)]),
    ]
    return builder
  }

  @Test("reads make, model, orientation, date and GPS in both byte orders", arguments: [false, true])
  func byteOrders(bigEndian: Bool) throws {
    let reader = try #require(TIFFReader(sample(bigEndian: bigEndian).build()))
    #expect(reader.make == "Canon")
    #expect(reader.model == "Canon EOS R6")
    #expect(reader.orientation == 6)
    #expect(reader.dateTimeOriginal == "2024-03-15T06:30:00.5+07:00")
    #expect(reader.position == GPSCoordinate(latitude: -22.9519, longitude: -43.2105, altitude: -12))
  }

  @Test("signed rationals and one-part coordinates, as some phones write them")
  func signedAndShortGPS() throws {
    var builder = Builder(bigEndian: true)
    builder.ifd0 = [builder.ascii(0x010f, "HUAWEI")]
    builder.gps = [
      builder.ascii(0x0001, "N"), builder.rationals(0x0002, [(21_025, 1000)], signed: true),
      builder.ascii(0x0003, "E"), builder.rationals(0x0004, [(105, 1), (5112, 100)], signed: true),
    ]
    let reader = try #require(TIFFReader(builder.build()))
    #expect(reader.position == GPSCoordinate(latitude: 21.025, longitude: 105.852, altitude: nil))
  }

  @Test("a date written in IFD0 (some phones) is read")
  func dateInIFD0() throws {
    var builder = Builder(bigEndian: false)
    builder.ifd0 = [builder.ascii(0x9003, "2017:08:19 17:05:33")]
    #expect(try #require(TIFFReader(builder.build())).dateTimeOriginal == "2017-08-19T17:05:33")
  }

  @Test("a GPS IFD pointing past the end is skipped; the rest is kept")
  func pointerPastEnd() throws {
    let block = sample(bigEndian: false).build(gpsPointer: 0x00ff_fff0)
    let reader = try #require(TIFFReader(block))
    #expect(reader.position == nil)
    #expect(reader.make == "Canon")
    #expect(reader.dateTimeOriginal == "2024-03-15T06:30:00.5+07:00")
  }

  @Test("every truncation of a block is read without a crash, and never invents a value")
  func truncations() {
    let block = sample(bigEndian: true).build()
    for length in 0...block.count {
      let reader = TIFFReader(Array(block.prefix(length)))
      if length < 8 { #expect(reader == nil) }
      if let make = reader?.make { #expect(make == "Canon") }
      // A block cut inside the altitude keeps the position without it.
      if let position = reader?.position {
        #expect(position.latitude == -22.9519 && position.longitude == -43.2105)
        #expect(position.altitude == nil || position.altitude == -12)
      }
    }
    #expect(TIFFReader(block)?.position != nil)
  }

  @Test("a value offset past the end drops that entry only; bad headers and directories are refused")
  func badOffsets() throws {
    var builder = Builder(bigEndian: false)
    builder.ifd0 = [builder.ascii(0x010f, "Canon"), builder.ascii(0x0110, "Canon EOS R6")]
    var block = builder.build()
    // Make's value offset (entry 0, bytes 8…11 of the entry) now points past the end.
    block[10 + 8] = 0xff
    block[10 + 9] = 0xff
    let reader = try #require(TIFFReader(block))
    #expect(reader.make == nil)
    #expect(reader.model == "Canon EOS R6")
    #expect(TIFFReader(Array("MM\u{0}+xxxxxxxx".utf8)) == nil)
    var hugeCount = builder.build()
    hugeCount[8] = 0xff
    hugeCount[9] = 0xff
    #expect(TIFFReader(hugeCount) == nil)
    var ifd0PastEnd = builder.build()
    ifd0PastEnd[4] = 0xf0
    #expect(TIFFReader(ifd0PastEnd) == nil)
  }
}
