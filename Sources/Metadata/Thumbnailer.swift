import CMediaShim
import CTurboJPEG

/// A JPEG preview of a photo, oriented for display.
public struct Thumbnail: Sendable {
  /// The JPEG bytes.
  public var jpeg: [UInt8]
  public var width: Int
  public var height: Int
  /// Problems the decoder reported that did not prevent the preview.
  public var issues: [String]
  /// Why the pixel data could not be decoded whole (`truncated JPEG (…)`, `corrupt PNG data
  /// (IDAT: CRC error)`), when this preview is what the decoder made of it: the rows it could not
  /// decode are grey, or the whole image is garbled.
  public var damaged: String?
}

/// Makes thumbnails: the smallest decode that will do (libjpeg-turbo's DCT scaling for JPEG,
/// row-streaming for PNG), a box filter down to the long edge, EXIF orientation applied, and a
/// JPEG encode with libjpeg-turbo.
public enum Thumbnailer {
  /// The long edge of MediaBank's previews.
  public static let defaultLongEdge = 320
  /// JPEG quality of previews.
  static let quality: Int32 = 85

  /// Makes the preview of the photo at `path`, whose metadata was read by `PhotoExtractor`.
  ///
  /// Pixel data that is truncated or corrupt gives a partial preview, with the reason in
  /// `damaged`, when the decoder produced rows of it. When it produced none, throws an error
  /// whose `isDamaged` is true. Throws other errors when the photo exceeds `maxPixels`, or when
  /// the preview cannot be made at all (out of memory, no HEIF decoder for the codec).
  public static func thumbnail(
    of path: String, metadata: PhotoMetadata, longEdge: Int = defaultLongEdge,
    maxPixels: Int = PhotoExtractor.defaultMaxPixels
  ) throws(MetadataError) -> Thumbnail {
    try PhotoExtractor.checkPixelLimit(
      width: metadata.storedWidth, height: metadata.storedHeight, maxPixels: maxPixels)
    var issues: [String] = []
    var damaged: String?
    var image: RGBImage
    switch metadata.format {
    case .jpeg:
      image = try decodeJPEG(path, longEdge: longEdge, issues: &issues, damaged: &damaged)
    case .png:
      image = try decodePNG(path, longEdge: longEdge, maxPixels: maxPixels, damaged: &damaged)
    case .heic, .heif, .avif:
      var result: RGBImage?
      try HEIFImage(path: path).decodeRGB { width, height, row in
        result = RGBImage.downscaling(width: width, height: height, longEdge: longEdge, row: row)
      }
      guard let result else { throw MetadataError("cannot decode HEIF image") }
      image = result
    }
    if !metadata.decoderAppliesOrientation, let orientation = metadata.orientation {
      image = image.oriented(orientation)
    }
    return Thumbnail(
      jpeg: try encodeJPEG(image), width: image.width, height: image.height, issues: issues, damaged: damaged)
  }

  // MARK: JPEG

  static func decodeJPEG(
    _ path: String, longEdge: Int, issues: inout [String], damaged: inout String?
  ) throws(MetadataError) -> RGBImage {
    try FileReader(path: path).withMappedBytes { bytes throws(MetadataError) in
      try decodeJPEG(bytes.bindMemory(to: UInt8.self), longEdge: longEdge, issues: &issues, damaged: &damaged)
    }
  }

  /// Decodes the JPEG at `path`, damaged or not (the tests' way to look at a preview's pixels).
  static func decodeJPEG(_ path: String, longEdge: Int, issues: inout [String]) throws(MetadataError) -> RGBImage {
    var damaged: String?
    return try decodeJPEG(path, longEdge: longEdge, issues: &issues, damaged: &damaged)
  }

  /// The value libjpeg-turbo gives every pixel of the blocks it has no data for (zero
  /// coefficients): mid-grey, in each RGB channel.
  static let missingDataGrey: UInt8 = 128

  /// The warnings of libjpeg that say nothing of the pixels: kept as issues, not damage.
  static let harmlessWarnings = [
    "Warning: unknown JFIF revision number", "Unknown Adobe color transform code", "Inconsistent progression sequence",
    "Invalid SOS parameters for sequential JPEG", "Application transferred too many scanlines",
    "Corrupt JPEG data: bad ICC marker",
  ]

  /// Decodes a JPEG. libjpeg-turbo reports damaged entropy-coded data as warnings (`Premature end
  /// of JPEG file`, `Corrupt JPEG data: bad Huffman code`) and fills what it could not decode with
  /// grey; after a fatal error in the scan, the rows it did not reach keep the buffer's grey. The
  /// image is then returned with the reason in `damaged`, unless every row is grey (nothing was
  /// decoded), which throws a damage error, as does a header libjpeg-turbo refuses.
  private static func decodeJPEG(
    _ data: UnsafeBufferPointer<UInt8>, longEdge: Int, issues: inout [String], damaged: inout String?
  ) throws(MetadataError) -> RGBImage {
    guard let decoder = tjInitDecompress() else { throw MetadataError("out of memory") }
    defer { tjDestroy(decoder) }
    var width: Int32 = 0
    var height: Int32 = 0
    var subsampling: Int32 = 0
    var colorspace: Int32 = 0
    guard
      tjDecompressHeader3(
        decoder, data.baseAddress, UInt(data.count), &width, &height, &subsampling, &colorspace) == 0
    else {
      // The segments were read already (JPEGReader): what libjpeg-turbo refuses here is the
      // image data's description (a bogus Huffman table, a frame of 0 lines).
      throw MetadataError("corrupt JPEG (\(String(cString: tjGetErrorStr2(decoder))))", isDamaged: true)
    }
    let factor = scalingFactor(width: Int(width), height: Int(height), longEdge: longEdge)
    let scaledWidth = Int((Int64(width) * Int64(factor.num) + Int64(factor.denom) - 1) / Int64(factor.denom))
    let scaledHeight = Int((Int64(height) * Int64(factor.num) + Int64(factor.denom) - 1) / Int64(factor.denom))
    let cmyk = colorspace == Int32(TJCS_CMYK.rawValue) || colorspace == Int32(TJCS_YCCK.rawValue)
    let channels = cmyk ? 4 : 3
    var pixels = [UInt8](repeating: missingDataGrey, count: scaledWidth * scaledHeight * channels)
    let format = cmyk ? TJPF_CMYK : TJPF_RGB
    let status = tjDecompress2(
      decoder, data.baseAddress, UInt(data.count), &pixels, Int32(scaledWidth), 0, Int32(scaledHeight),
      Int32(format.rawValue), TJFLAG_FASTDCT | TJFLAG_FASTUPSAMPLE)
    if status != 0 {
      // The message is the first warning's, or the fatal error's that followed it (TurboJPEG then
      // still calls it a warning): anything but a harmless warning is damage.
      let message = String(cString: tjGetErrorStr2(decoder))
      let corrupt = "Corrupt JPEG data: "
      if tjGetErrorCode(decoder) == Int32(TJERR_WARNING.rawValue),
        Self.harmlessWarnings.contains(where: message.hasPrefix)
      {
        issues.append("JPEG decoder warning: \(message)")
      } else if message.hasPrefix("Premature end") {
        damaged = "truncated JPEG (the image data ends early: \(message))"
      } else if message.hasPrefix(corrupt) {
        damaged = "corrupt JPEG data (\(message.dropFirst(corrupt.count)))"
      } else {
        damaged = "corrupt JPEG (\(message))"
      }
      if let damaged, cmyk || pixels.allSatisfy({ $0 == missingDataGrey }) {
        throw MetadataError(damaged, isDamaged: true)
      }
    }
    if cmyk { pixels = rgbFromAdobeCMYK(pixels) }
    return pixels.withUnsafeBufferPointer { buffer in
      RGBImage.downscaling(width: scaledWidth, height: scaledHeight, longEdge: longEdge) { row in
        buffer.baseAddress! + row * scaledWidth * 3
      }
    }
  }

  /// The smallest libjpeg-turbo scaling factor whose result still covers `longEdge`.
  private static func scalingFactor(width: Int, height: Int, longEdge: Int) -> tjscalingfactor {
    var count: Int32 = 0
    let full = tjscalingfactor(num: 1, denom: 1)
    guard let factors = tjGetScalingFactors(&count) else { return full }
    let long = max(width, height)
    var best = full
    for index in 0..<Int(count) {
      let factor = factors[index]
      guard factor.num <= factor.denom else { continue }
      let scaled = (long * Int(factor.num) + Int(factor.denom) - 1) / Int(factor.denom)
      let bestScaled = (long * Int(best.num) + Int(best.denom) - 1) / Int(best.denom)
      if scaled >= longEdge && scaled < bestScaled { best = factor }
    }
    return best
  }

  /// Photoshop writes CMYK JPEGs inverted; libjpeg-turbo returns the stored values.
  private static func rgbFromAdobeCMYK(_ cmyk: [UInt8]) -> [UInt8] {
    var rgb = [UInt8](repeating: 0, count: cmyk.count / 4 * 3)
    for pixel in 0..<(cmyk.count / 4) {
      let k = UInt16(cmyk[pixel * 4 + 3])
      for channel in 0..<3 {
        rgb[pixel * 3 + channel] = UInt8(UInt16(cmyk[pixel * 4 + channel]) * k / 255)
      }
    }
    return rgb
  }

  /// `image` as a JPEG of the previews' quality (photos' thumbnails, videos' poster frames).
  static func encodeJPEG(_ image: RGBImage) throws(MetadataError) -> [UInt8] {
    guard let encoder = tjInitCompress() else { throw MetadataError("out of memory") }
    defer { tjDestroy(encoder) }
    var output: UnsafeMutablePointer<UInt8>?
    var size: UInt = 0
    let status = image.pixels.withUnsafeBufferPointer { pixels in
      tjCompress2(
        encoder, pixels.baseAddress, Int32(image.width), 0, Int32(image.height),
        Int32(TJPF_RGB.rawValue), &output, &size, Int32(TJSAMP_420.rawValue), quality, 0)
    }
    defer { tjFree(output) }
    guard status == 0, let output else {
      throw MetadataError("cannot encode thumbnail (\(String(cString: tjGetErrorStr2(encoder))))")
    }
    return Array(UnsafeBufferPointer(start: output, count: Int(size)))
  }

  // MARK: PNG

  private static func decodePNG(
    _ path: String, longEdge: Int, maxPixels: Int, damaged: inout String?
  ) throws(MetadataError) -> RGBImage {
    var image = mb_image()
    var message = [CChar](repeating: 0, count: 256)
    let status = mb_png_thumbnail(
      path, UInt32(longEdge), UInt64(maxPixels), &image, &message, message.count)
    defer { mb_image_free(&image) }
    let reason = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    switch status {
    case MB_OK, MB_DAMAGED:
      if status == MB_DAMAGED {
        guard image.pixels != nil else { throw MetadataError(reason, isDamaged: true) }
        damaged = reason
      }
      let count = Int(image.width) * Int(image.height) * 3
      return RGBImage(
        width: Int(image.width), height: Int(image.height),
        pixels: Array(UnsafeBufferPointer(start: image.pixels, count: count)))
    case MB_TOO_LARGE:
      throw MetadataError("PNG is \(reason), above the pixel limit", exceedsPixelLimit: true)
    default:
      throw MetadataError("corrupt PNG (\(reason))")
    }
  }
}

/// An 8-bit RGB image, rows top to bottom.
struct RGBImage: Equatable {
  var width: Int
  var height: Int
  var pixels: [UInt8]

  /// Box-filters `width` x `height` rows (3 bytes per pixel, given by `row`) to fit `longEdge`.
  static func downscaling(
    width: Int, height: Int, longEdge: Int, row: (Int) -> UnsafePointer<UInt8>
  ) -> RGBImage {
    var targetWidth: UInt32 = 0
    var targetHeight: UInt32 = 0
    mb_fit_size(UInt32(width), UInt32(height), UInt32(longEdge), &targetWidth, &targetHeight)
    var pixels = [UInt8](repeating: 0, count: Int(targetWidth) * Int(targetHeight) * 3)
    let scaler = mb_scaler_create(UInt32(width), UInt32(height), targetWidth, targetHeight)!
    for y in 0..<height { mb_scaler_push_row(scaler, row(y)) }
    mb_scaler_finish(scaler, &pixels)
    mb_scaler_free(scaler)
    return RGBImage(width: Int(targetWidth), height: Int(targetHeight), pixels: pixels)
  }

  /// The image as displayed under EXIF `orientation` (1–8).
  func oriented(_ orientation: Int) -> RGBImage {
    guard (2...8).contains(orientation) else { return self }
    let (w, h) = (width, height)
    let swaps = orientation >= 5
    let outWidth = swaps ? h : w
    let outHeight = swaps ? w : h
    var out = [UInt8](repeating: 0, count: pixels.count)
    for y in 0..<outHeight {
      for x in 0..<outWidth {
        let (sx, sy): (Int, Int)
        switch orientation {
        case 2: (sx, sy) = (w - 1 - x, y)
        case 3: (sx, sy) = (w - 1 - x, h - 1 - y)
        case 4: (sx, sy) = (x, h - 1 - y)
        case 5: (sx, sy) = (y, x)
        case 6: (sx, sy) = (y, h - 1 - x)
        case 7: (sx, sy) = (w - 1 - y, h - 1 - x)
        default: (sx, sy) = (w - 1 - y, x)  // 8
        }
        let source = (sy * w + sx) * 3
        let target = (y * outWidth + x) * 3
        out[target] = pixels[source]
        out[target + 1] = pixels[source + 1]
        out[target + 2] = pixels[source + 2]
      }
    }
    return RGBImage(width: outWidth, height: outHeight, pixels: out)
  }
}
