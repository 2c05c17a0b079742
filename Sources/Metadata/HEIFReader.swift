import CHeif
import CMediaShim

/// Reads HEIF/HEIC/AVIF files with libheif: the primary image's size (libheif applies the
/// container's rotation and mirroring, so it is already the displayed size) and its EXIF and XMP
/// blocks.
final class HEIFImage {
  private let context: OpaquePointer
  let handle: OpaquePointer

  init(path: String) throws(MetadataError) {
    try SharedLibraries.loadHEIF()
    guard let context = mb_heif_context_alloc() else { throw MetadataError("out of memory") }
    // libheif's error message belongs to the context: copy it before the context is freed.
    var error = mb_heif_context_read_from_file(context, path, nil)
    guard error.code == heif_error_Ok else {
      let message = heifMessage(error)
      mb_heif_context_free(context)
      throw MetadataError("corrupt HEIF (\(message))")
    }
    var handle: OpaquePointer?
    error = mb_heif_context_get_primary_image_handle(context, &handle)
    guard error.code == heif_error_Ok, let handle else {
      let message = heifMessage(error)
      mb_heif_context_free(context)
      throw MetadataError("corrupt HEIF (\(message))")
    }
    self.context = context
    self.handle = handle
  }

  deinit {
    mb_heif_image_handle_release(handle)
    mb_heif_context_free(context)
  }

  func metadata(format: PhotoFormat) throws(MetadataError) -> PhotoMetadata {
    let width = Int(mb_heif_image_handle_get_width(handle))
    let height = Int(mb_heif_image_handle_get_height(handle))
    guard width > 0, height > 0 else {
      throw MetadataError("corrupt HEIF (primary image is \(width) x \(height) pixels)")
    }
    var metadata = PhotoMetadata(format: format, width: width, height: height)
    metadata.decoderAppliesOrientation = true
    let count = Int(mb_heif_image_handle_get_number_of_metadata_blocks(handle, nil))
    var ids = [heif_item_id](repeating: 0, count: count)
    mb_heif_image_handle_get_list_of_metadata_block_IDs(handle, nil, &ids, Int32(count))
    for id in ids {
      let type = String(cString: mb_heif_image_handle_get_metadata_type(handle, id))
      let contentType = String(cString: mb_heif_image_handle_get_metadata_content_type(handle, id))
      let size = mb_heif_image_handle_get_metadata_size(handle, id)
      guard size > 0, size < 16 << 20 else { continue }
      var block = [UInt8](repeating: 0, count: size)
      guard mb_heif_image_handle_get_metadata(handle, id, &block).code == heif_error_Ok else {
        metadata.issues.append("HEIF \(type) block could not be read")
        continue
      }
      if type == "Exif" {
        // Four bytes give the offset of the TIFF header after them.
        guard block.count > 4 else { continue }
        let start = 4 + block.bigEndian32(at: 0)
        guard start < block.count else {
          metadata.issues.append("HEIF EXIF block has a bad TIFF offset; EXIF ignored")
          continue
        }
        ExifReader.read(Array(block[start...]), into: &metadata)
      } else if type == "mime" && contentType == "application/rdf+xml" {
        XMPReader.read(block, into: &metadata)
      }
    }
    return metadata
  }

  /// Decodes the primary image (rotation applied) and feeds its rows to `consume`.
  func decodeRGB(_ consume: (_ width: Int, _ height: Int, _ rows: (Int) -> UnsafePointer<UInt8>) -> Void)
    throws(MetadataError)
  {
    var image: OpaquePointer?
    let error = mb_heif_decode_image(handle, &image, heif_colorspace_RGB, heif_chroma_interleaved_RGB, nil)
    guard error.code == heif_error_Ok, let image else {
      // A codec libheif has no plugin for is not damage; what the plugin or libheif refuses in
      // the coded data (a NAL unit cut short, a corrupt tile) is.
      let damaged = error.code == heif_error_Decoder_plugin_error || error.code == heif_error_Invalid_input
      throw MetadataError(
        "\(damaged ? "corrupt HEIF data" : "cannot decode HEIF image") (\(heifMessage(error)))",
        isDamaged: damaged)
    }
    defer { mb_heif_image_release(image) }
    var stride: Int32 = 0
    guard let plane = mb_heif_image_get_plane_readonly(image, heif_channel_interleaved, &stride) else {
      throw MetadataError("cannot decode HEIF image (no RGB plane)")
    }
    let width = Int(mb_heif_image_get_width(image, heif_channel_interleaved))
    let height = Int(mb_heif_image_get_height(image, heif_channel_interleaved))
    consume(width, height) { row in plane + row * Int(stride) }
  }
}

/// The text of a libheif error, copied (it lives in the context that reported it) and without the
/// line break libheif may end it with.
func heifMessage(_ error: heif_error) -> String {
  var message = String(cString: error.message)
  while let last = message.unicodeScalars.last, last.properties.isWhitespace { message.unicodeScalars.removeLast() }
  return message
}
