#include "mb_heif.h"

#include "loader.h"

// libheif has kept soname 1 since 1.0, and its headers give no major number to build it from.
_Static_assert(LIBHEIF_NUMERIC_VERSION >> 24 == 1, "libheif's major version changed: update the soname below");

enum { HEIF };

static mb_library libraries[] = {[HEIF] = {"libheif.so.1", "libheif1", NULL}};

// Every libheif function MediaBank calls: (library, name).
#define MB_HEIF_FUNCTIONS(X)                                \
  X(HEIF, heif_context_alloc)                               \
  X(HEIF, heif_context_free)                                \
  X(HEIF, heif_context_read_from_file)                      \
  X(HEIF, heif_context_get_primary_image_handle)            \
  X(HEIF, heif_image_handle_release)                        \
  X(HEIF, heif_image_handle_get_width)                      \
  X(HEIF, heif_image_handle_get_height)                     \
  X(HEIF, heif_image_handle_get_number_of_metadata_blocks)  \
  X(HEIF, heif_image_handle_get_list_of_metadata_block_IDs) \
  X(HEIF, heif_image_handle_get_metadata_type)              \
  X(HEIF, heif_image_handle_get_metadata_content_type)      \
  X(HEIF, heif_image_handle_get_metadata_size)              \
  X(HEIF, heif_image_handle_get_metadata)                   \
  X(HEIF, heif_decode_image)                                \
  X(HEIF, heif_image_release)                               \
  X(HEIF, heif_image_get_width)                             \
  X(HEIF, heif_image_get_height)                            \
  X(HEIF, heif_image_get_plane_readonly)

// The table: each pointer has the exact type of libheif's declaration.
static struct {
#define MB_FIELD(library, name) __typeof__(name) *name;
  MB_HEIF_FUNCTIONS(MB_FIELD)
#undef MB_FIELD
} heif;

static const mb_symbol symbols[] = {
#define MB_SYMBOL(library, name) {library, #name, (void **)&heif.name},
    MB_HEIF_FUNCTIONS(MB_SYMBOL)
#undef MB_SYMBOL
};

static mb_lazy_libraries lazy = MB_LAZY_LIBRARIES(libraries, symbols);

mb_status mb_load_heif(char *message, size_t message_capacity) { return mb_load_once(&lazy, message, message_capacity); }

struct heif_context *mb_heif_context_alloc(void) { return heif.heif_context_alloc(); }
void mb_heif_context_free(struct heif_context *context) { heif.heif_context_free(context); }
struct heif_error mb_heif_context_read_from_file(struct heif_context *context, const char *filename,
                                                 const struct heif_reading_options *options) {
  return heif.heif_context_read_from_file(context, filename, options);
}
struct heif_error mb_heif_context_get_primary_image_handle(struct heif_context *context,
                                                           struct heif_image_handle **handle) {
  return heif.heif_context_get_primary_image_handle(context, handle);
}
void mb_heif_image_handle_release(const struct heif_image_handle *handle) {
  heif.heif_image_handle_release(handle);
}
int mb_heif_image_handle_get_width(const struct heif_image_handle *handle) {
  return heif.heif_image_handle_get_width(handle);
}
int mb_heif_image_handle_get_height(const struct heif_image_handle *handle) {
  return heif.heif_image_handle_get_height(handle);
}
int mb_heif_image_handle_get_number_of_metadata_blocks(const struct heif_image_handle *handle,
                                                       const char *type_filter) {
  return heif.heif_image_handle_get_number_of_metadata_blocks(handle, type_filter);
}
int mb_heif_image_handle_get_list_of_metadata_block_IDs(const struct heif_image_handle *handle,
                                                        const char *type_filter, heif_item_id *ids, int count) {
  return heif.heif_image_handle_get_list_of_metadata_block_IDs(handle, type_filter, ids, count);
}
const char *mb_heif_image_handle_get_metadata_type(const struct heif_image_handle *handle,
                                                   heif_item_id metadata_id) {
  return heif.heif_image_handle_get_metadata_type(handle, metadata_id);
}
const char *mb_heif_image_handle_get_metadata_content_type(const struct heif_image_handle *handle,
                                                           heif_item_id metadata_id) {
  return heif.heif_image_handle_get_metadata_content_type(handle, metadata_id);
}
size_t mb_heif_image_handle_get_metadata_size(const struct heif_image_handle *handle, heif_item_id metadata_id) {
  return heif.heif_image_handle_get_metadata_size(handle, metadata_id);
}
struct heif_error mb_heif_image_handle_get_metadata(const struct heif_image_handle *handle,
                                                    heif_item_id metadata_id, void *out_data) {
  return heif.heif_image_handle_get_metadata(handle, metadata_id, out_data);
}
struct heif_error mb_heif_decode_image(const struct heif_image_handle *in_handle, struct heif_image **out_img,
                                       enum heif_colorspace colorspace, enum heif_chroma chroma,
                                       const struct heif_decoding_options *options) {
  return heif.heif_decode_image(in_handle, out_img, colorspace, chroma, options);
}
void mb_heif_image_release(const struct heif_image *image) { heif.heif_image_release(image); }
int mb_heif_image_get_width(const struct heif_image *image, enum heif_channel channel) {
  return heif.heif_image_get_width(image, channel);
}
int mb_heif_image_get_height(const struct heif_image *image, enum heif_channel channel) {
  return heif.heif_image_get_height(image, channel);
}
const uint8_t *mb_heif_image_get_plane_readonly(const struct heif_image *image, enum heif_channel channel,
                                                int *out_stride) {
  return heif.heif_image_get_plane_readonly(image, channel, out_stride);
}
