// libheif (HEIF, HEIC and AVIF images), loaded on first use.
//
// As with FFmpeg (mb_ffmpeg.h), `mediabank` does not link libheif, whose codecs (libde265, x265,
// libaom, dav1d…) every process would otherwise load at start-up. `mb_load_heif` opens it with
// dlopen and fills a table of function pointers; each `mb_` function below calls libheif's
// function of the same name through it. The types are libheif's own (CHeif's header).
//
// Call `mb_load_heif` first; call the other functions only after it returned MB_OK.
#ifndef MB_HEIF_H
#define MB_HEIF_H

#include <stddef.h>
#include <stdint.h>

#include <libheif/heif.h>

#include "CMediaShim.h"

/// Loads libheif, once per process (thread-safe). On failure writes e.g. `cannot load
/// libheif.so.1 (install libheif1): …` into `message`; every later call fails the same way.
mb_status mb_load_heif(char *message, size_t message_capacity);

struct heif_context *mb_heif_context_alloc(void);
void mb_heif_context_free(struct heif_context *context);
struct heif_error mb_heif_context_read_from_file(struct heif_context *context, const char *filename,
                                                 const struct heif_reading_options *options);
struct heif_error mb_heif_context_get_primary_image_handle(struct heif_context *context,
                                                           struct heif_image_handle **handle);
void mb_heif_image_handle_release(const struct heif_image_handle *handle);
int mb_heif_image_handle_get_width(const struct heif_image_handle *handle);
int mb_heif_image_handle_get_height(const struct heif_image_handle *handle);
int mb_heif_image_handle_get_number_of_metadata_blocks(const struct heif_image_handle *handle,
                                                       const char *type_filter);
int mb_heif_image_handle_get_list_of_metadata_block_IDs(const struct heif_image_handle *handle,
                                                        const char *type_filter, heif_item_id *ids, int count);
const char *mb_heif_image_handle_get_metadata_type(const struct heif_image_handle *handle,
                                                   heif_item_id metadata_id);
const char *mb_heif_image_handle_get_metadata_content_type(const struct heif_image_handle *handle,
                                                           heif_item_id metadata_id);
size_t mb_heif_image_handle_get_metadata_size(const struct heif_image_handle *handle, heif_item_id metadata_id);
struct heif_error mb_heif_image_handle_get_metadata(const struct heif_image_handle *handle,
                                                    heif_item_id metadata_id, void *out_data);
struct heif_error mb_heif_decode_image(const struct heif_image_handle *in_handle, struct heif_image **out_img,
                                       enum heif_colorspace colorspace, enum heif_chroma chroma,
                                       const struct heif_decoding_options *options);
void mb_heif_image_release(const struct heif_image *image);
int mb_heif_image_get_width(const struct heif_image *image, enum heif_channel channel);
int mb_heif_image_get_height(const struct heif_image *image, enum heif_channel channel);
const uint8_t *mb_heif_image_get_plane_readonly(const struct heif_image *image, enum heif_channel channel,
                                                int *out_stride);

#endif
