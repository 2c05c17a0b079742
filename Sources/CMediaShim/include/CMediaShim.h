// CMediaShim: the small amount of C that MediaBank needs.
//
// - libpng reports errors with longjmp, which Swift cannot catch, so PNG decoding lives here.
// - The box-filter scaler is a tight pixel loop shared by every thumbnail path.
// - zlib inflate with an output cap, for compressed PNG text chunks.
// - FFmpeg and libheif, loaded with dlopen the first time a video or a HEIF image is read, so
//   that the other commands do not pay for loading them (mb_ffmpeg.h, mb_heif.h).
//
// Every symbol is prefixed `mb_`. Functions never abort; they return a status and, on failure,
// write a human-readable reason into the caller's buffer.
#ifndef CMEDIASHIM_H
#define CMEDIASHIM_H

#include <stddef.h>
#include <stdint.h>

/// Status codes returned by the shim.
typedef enum {
  MB_OK = 0,
  MB_ERROR = 1,          ///< the input is corrupt or unsupported; see the message
  MB_TOO_LARGE = 2,      ///< the image or the inflated data exceeds the caller's limit
  MB_OUT_OF_MEMORY = 3,
  MB_DAMAGED = 4,        ///< the image data is truncated or corrupt; see the message (a whole sentence)
} mb_status;

/// An 8-bit RGB image owned by the shim; release with `mb_image_free`.
typedef struct {
  uint8_t *pixels;  ///< width * height * 3 bytes, rows top to bottom
  uint32_t width;
  uint32_t height;
} mb_image;

void mb_image_free(mb_image *image);

/// Streaming box-filter downscaler: push the source rows top to bottom, then finish.
typedef struct mb_scaler mb_scaler;

/// Creates a scaler from src (w x h) to dst (w x h), 3 channels. Returns NULL if out of memory.
mb_scaler *mb_scaler_create(uint32_t src_width, uint32_t src_height, uint32_t dst_width,
                            uint32_t dst_height);
/// Adds the next source row (src_width * 3 bytes).
void mb_scaler_push_row(mb_scaler *scaler, const uint8_t *row);
/// Writes the averaged result into `out` (dst_width * dst_height * 3 bytes).
void mb_scaler_finish(mb_scaler *scaler, uint8_t *out);
/// Releases the scaler (NULL is allowed).
void mb_scaler_free(mb_scaler *scaler);

/// The size that fits (width x height) inside a square of `max_edge`, keeping the aspect
/// ratio and never enlarging.
void mb_fit_size(uint32_t width, uint32_t height, uint32_t max_edge, uint32_t *out_width,
                 uint32_t *out_height);

/// Decodes the PNG at `path` straight into a thumbnail whose long edge is at most `max_edge`,
/// streaming rows through the scaler (memory does not grow with the image unless it is
/// interlaced). Transparent areas are composited onto white. Images with more than
/// `max_pixels` pixels are refused with MB_TOO_LARGE before any pixel is decoded.
///
/// Image data that is cut short or corrupt (a bad CRC in IDAT, a broken zlib stream) gives
/// MB_DAMAGED and a reason such as `truncated PNG (the image data ends early)`. A CRC error in a
/// critical chunk is a warning and its data is used. When rows were decoded before the damage
/// (never for an interlaced image), `out` holds the preview with the missing rows grey;
/// otherwise `out->pixels` is NULL.
mb_status mb_png_thumbnail(const char *path, uint32_t max_edge, uint64_t max_pixels,
                           mb_image *out, char *message, size_t message_capacity);

/// Inflates zlib data into `out` (capacity `out_capacity`); MB_TOO_LARGE if it does not fit.
mb_status mb_inflate(const uint8_t *input, size_t input_length, uint8_t *out,
                     size_t out_capacity, size_t *out_length);

/// Whether the raw deflate data `input` (a ZIP entry's) ends within its `input_length` bytes:
/// MB_OK when it does, MB_TOO_LARGE when it inflates to more than `limit` bytes first, MB_ERROR
/// when it is corrupt or does not end there. The output is not kept.
mb_status mb_check_raw_deflate(const uint8_t *input, size_t input_length, uint64_t limit);

#include "mb_ffmpeg.h"
#include "mb_heif.h"

#endif
