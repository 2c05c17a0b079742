#include "CMediaShim.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

void mb_image_free(mb_image *image) {
  if (image == NULL) return;
  free(image->pixels);
  image->pixels = NULL;
  image->width = image->height = 0;
}

// MARK: - Scaler

struct mb_scaler {
  uint32_t src_width, src_height, dst_width, dst_height;
  uint32_t next_row;
  uint32_t *sums;        // dst_width * dst_height * 3
  uint32_t *row_counts;  // source rows per destination row
  uint32_t *col_counts;  // source columns per destination column
  uint32_t *col_map;     // destination column of each source column
};

mb_scaler *mb_scaler_create(uint32_t src_width, uint32_t src_height, uint32_t dst_width,
                            uint32_t dst_height) {
  if (src_width == 0 || src_height == 0 || dst_width == 0 || dst_height == 0) return NULL;
  mb_scaler *s = calloc(1, sizeof(mb_scaler));
  if (s == NULL) return NULL;
  s->src_width = src_width;
  s->src_height = src_height;
  s->dst_width = dst_width;
  s->dst_height = dst_height;
  s->sums = calloc((size_t)dst_width * dst_height * 3, sizeof(uint32_t));
  s->row_counts = calloc(dst_height, sizeof(uint32_t));
  s->col_counts = calloc(dst_width, sizeof(uint32_t));
  s->col_map = calloc(src_width, sizeof(uint32_t));
  if (!s->sums || !s->row_counts || !s->col_counts || !s->col_map) {
    mb_scaler_free(s);
    return NULL;
  }
  for (uint32_t x = 0; x < src_width; x++) {
    uint32_t dx = (uint32_t)((uint64_t)x * dst_width / src_width);
    s->col_map[x] = dx;
    s->col_counts[dx]++;
  }
  return s;
}

void mb_scaler_push_row(mb_scaler *s, const uint8_t *row) {
  if (s->next_row >= s->src_height) return;
  uint32_t dy = (uint32_t)((uint64_t)s->next_row * s->dst_height / s->src_height);
  s->row_counts[dy]++;
  s->next_row++;
  uint32_t *dst = s->sums + (size_t)dy * s->dst_width * 3;
  for (uint32_t x = 0; x < s->src_width; x++) {
    uint32_t *p = dst + (size_t)s->col_map[x] * 3;
    p[0] += row[0];
    p[1] += row[1];
    p[2] += row[2];
    row += 3;
  }
}

void mb_scaler_finish(mb_scaler *s, uint8_t *out) {
  for (uint32_t y = 0; y < s->dst_height; y++) {
    for (uint32_t x = 0; x < s->dst_width; x++) {
      uint32_t n = s->row_counts[y] * s->col_counts[x];
      const uint32_t *p = s->sums + ((size_t)y * s->dst_width + x) * 3;
      for (int c = 0; c < 3; c++) *out++ = n ? (uint8_t)((p[c] + n / 2) / n) : 0;
    }
  }
}

void mb_scaler_free(mb_scaler *s) {
  if (s == NULL) return;
  free(s->sums);
  free(s->row_counts);
  free(s->col_counts);
  free(s->col_map);
  free(s);
}

void mb_fit_size(uint32_t width, uint32_t height, uint32_t max_edge, uint32_t *out_width,
                 uint32_t *out_height) {
  uint32_t long_edge = width > height ? width : height;
  if (long_edge <= max_edge || long_edge == 0) {
    *out_width = width;
    *out_height = height;
    return;
  }
  uint64_t w = ((uint64_t)width * max_edge + long_edge / 2) / long_edge;
  uint64_t h = ((uint64_t)height * max_edge + long_edge / 2) / long_edge;
  *out_width = w ? (uint32_t)w : 1;
  *out_height = h ? (uint32_t)h : 1;
}

// MARK: - PNG

typedef struct {
  jmp_buf jump;
  char *message;
  size_t capacity;
  FILE *file;
  int ended_early;     // the file ended while libpng still needed data
  size_t padding;      // zero bytes given libpng past the end of the file
  char crc_error[64];  // the first CRC warning of a critical chunk (`IDAT: CRC error`), or empty
} mb_png_context;

static void mb_png_error(png_structp png, png_const_charp text) {
  mb_png_context *ctx = png_get_error_ptr(png);
  snprintf(ctx->message, ctx->capacity, "%s", text);
  longjmp(ctx->jump, 1);
}

static void mb_png_warning(png_structp png, png_const_charp text) {
  // Ancillary problems are reported by MediaBank's own chunk reader. A critical chunk's CRC
  // error (libpng names the chunk first: `IDAT: CRC error`) means damaged image data.
  mb_png_context *ctx = png_get_error_ptr(png);
  if (ctx->crc_error[0] == 0 && text[0] >= 'A' && text[0] <= 'Z' && strstr(text, "CRC error") != NULL) {
    snprintf(ctx->crc_error, sizeof(ctx->crc_error), "%s", text);
  }
}

/// Reads from the file; past its end, gives zeros (up to 64 KiB), so that libpng decodes the
/// rows of a cut IDAT that it had not read yet (it reads a chunk in large blocks) before zlib
/// refuses the zeros.
static void mb_png_read(png_structp png, png_bytep data, size_t length) {
  mb_png_context *ctx = png_get_io_ptr(png);
  size_t count = fread(data, 1, length, ctx->file);
  if (count == length) return;
  ctx->ended_early = 1;
  ctx->padding += length - count;
  if (ctx->padding > 65536) png_error(png, "the file ends early");
  memset(data + count, 0, length - count);
}

/// The MB_DAMAGED result: the reason in the caller's buffer and, when `rows` rows were decoded,
/// the preview with the rest grey. A CRC error is the reason even when decoding failed after it,
/// unless the file ended early.
static mb_status mb_png_damaged(mb_png_context *ctx, mb_scaler *scaler, uint32_t rows, mb_image *out) {
  if (ctx->ended_early) {  // before a CRC error: the zeros after the end fail the CRC
    snprintf(ctx->message, ctx->capacity, "truncated PNG (the image data ends early)");
  } else if (ctx->crc_error[0] != 0) {
    snprintf(ctx->message, ctx->capacity, "corrupt PNG data (%s)", ctx->crc_error);
  } else {
    char detail[200];
    snprintf(detail, sizeof(detail), "%s", ctx->message);
    snprintf(ctx->message, ctx->capacity, "corrupt PNG data (%s)", detail);
  }
  if (rows == 0 || scaler == NULL) return MB_DAMAGED;
  uint8_t *grey = malloc((size_t)scaler->src_width * 3);
  uint8_t *pixels = malloc((size_t)scaler->dst_width * scaler->dst_height * 3);
  if (grey == NULL || pixels == NULL) {
    free(grey);
    free(pixels);
    return MB_DAMAGED;
  }
  memset(grey, 128, (size_t)scaler->src_width * 3);
  for (uint32_t y = rows; y < scaler->src_height; y++) mb_scaler_push_row(scaler, grey);
  free(grey);
  mb_scaler_finish(scaler, pixels);
  out->pixels = pixels;
  out->width = scaler->dst_width;
  out->height = scaler->dst_height;
  return MB_DAMAGED;
}

mb_status mb_png_thumbnail(const char *path, uint32_t max_edge, uint64_t max_pixels,
                           mb_image *out, char *message, size_t message_capacity) {
  memset(out, 0, sizeof(*out));
  FILE *file = fopen(path, "rb");
  if (file == NULL) {
    snprintf(message, message_capacity, "cannot open file");
    return MB_ERROR;
  }
  mb_png_context ctx = {.message = message, .capacity = message_capacity, .file = file};
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &ctx, mb_png_error,
                                           mb_png_warning);
  png_infop info = png ? png_create_info_struct(png) : NULL;
  // Volatile: these change between setjmp and a possible longjmp.
  uint8_t *volatile row = NULL;
  uint8_t *volatile whole = NULL;
  mb_scaler *volatile scaler = NULL;
  volatile mb_status status = MB_ERROR;
  // Rows pushed to the scaler; from the first row on, an error is damage, not a refusal.
  volatile uint32_t rows_done = 0;
  volatile int reading_rows = 0;
  volatile int interlaced = 0;
  if (png == NULL || info == NULL) {
    snprintf(message, message_capacity, "out of memory");
    status = MB_OUT_OF_MEMORY;
    goto done;
  }
  if (setjmp(ctx.jump)) {
    status = MB_ERROR;
    // Before the first row, only data that ends early or fails its CRC is damage: the other
    // errors there are a header libpng refuses (beyond its size limits, say).
    if (reading_rows || ctx.ended_early || ctx.crc_error[0] != 0) {
      status = mb_png_damaged(&ctx, scaler, reading_rows && !interlaced ? rows_done : 0, out);
    }
    goto done;
  }
  png_set_user_limits(png, 1000000, 1000000);
  png_set_read_fn(png, &ctx, mb_png_read);
  // A critical chunk's bad CRC (IDAT's) is reported and its data used: the asset is kept as
  // damaged with what decodes. Ancillary chunks keep libpng's default (warn, discard).
  png_set_crc_action(png, PNG_CRC_WARN_USE, PNG_CRC_DEFAULT);
  png_read_info(png, info);
  png_uint_32 width = png_get_image_width(png, info);
  png_uint_32 height = png_get_image_height(png, info);
  if ((uint64_t)width * height > max_pixels) {
    snprintf(message, message_capacity, "%u x %u pixels", width, height);
    status = MB_TOO_LARGE;
    goto done;
  }
  png_set_expand(png);
  png_set_strip_16(png);
  png_set_gray_to_rgb(png);
  png_color_16 white = {0, 255, 255, 255, 255};
  png_set_background(png, &white, PNG_BACKGROUND_GAMMA_SCREEN, 0, 1.0);
  int passes = png_set_interlace_handling(png);
  png_read_update_info(png, info);
  size_t rowbytes = png_get_rowbytes(png, info);
  if (rowbytes != (size_t)width * 3) {
    snprintf(message, message_capacity, "unexpected PNG pixel layout");
    goto done;
  }
  uint32_t dst_width, dst_height;
  mb_fit_size(width, height, max_edge, &dst_width, &dst_height);
  scaler = mb_scaler_create(width, height, dst_width, dst_height);
  if (scaler == NULL) {
    snprintf(message, message_capacity, "out of memory");
    status = MB_OUT_OF_MEMORY;
    goto done;
  }
  reading_rows = 1;
  interlaced = passes > 1;
  if (passes > 1) {
    // Interlaced rows are only complete after the last pass: decode the whole image.
    whole = malloc(rowbytes * height);
    png_bytep *rows = whole ? malloc(sizeof(png_bytep) * height) : NULL;
    if (rows == NULL) {
      snprintf(message, message_capacity, "out of memory");
      status = MB_OUT_OF_MEMORY;
      goto done;
    }
    for (png_uint_32 y = 0; y < height; y++) rows[y] = whole + rowbytes * y;
    png_read_image(png, rows);
    free(rows);
    for (png_uint_32 y = 0; y < height; y++) mb_scaler_push_row(scaler, whole + rowbytes * y);
  } else {
    row = malloc(rowbytes);
    if (row == NULL) {
      snprintf(message, message_capacity, "out of memory");
      status = MB_OUT_OF_MEMORY;
      goto done;
    }
    for (png_uint_32 y = 0; y < height; y++) {
      png_read_row(png, row, NULL);
      mb_scaler_push_row(scaler, row);
      rows_done = y + 1;
    }
  }
  png_read_end(png, NULL);
  if (ctx.crc_error[0] != 0 || ctx.ended_early) {
    status = mb_png_damaged(&ctx, scaler, height, out);
    goto done;
  }
  out->pixels = malloc((size_t)dst_width * dst_height * 3);
  if (out->pixels == NULL) {
    snprintf(message, message_capacity, "out of memory");
    status = MB_OUT_OF_MEMORY;
    goto done;
  }
  mb_scaler_finish(scaler, out->pixels);
  out->width = dst_width;
  out->height = dst_height;
  status = MB_OK;

done:
  mb_scaler_free(scaler);
  free(row);
  free(whole);
  if (png != NULL) png_destroy_read_struct(&png, info ? &info : NULL, NULL);
  fclose(file);
  return status;
}

// MARK: - zlib

mb_status mb_inflate(const uint8_t *input, size_t input_length, uint8_t *out,
                     size_t out_capacity, size_t *out_length) {
  z_stream stream;
  memset(&stream, 0, sizeof(stream));
  if (inflateInit(&stream) != Z_OK) return MB_OUT_OF_MEMORY;
  stream.next_in = (Bytef *)input;
  stream.avail_in = (uInt)input_length;
  stream.next_out = out;
  stream.avail_out = (uInt)out_capacity;
  int result = inflate(&stream, Z_FINISH);
  *out_length = stream.total_out;
  inflateEnd(&stream);
  if (result == Z_STREAM_END) return MB_OK;
  if (result == Z_BUF_ERROR && stream.avail_out == 0) return MB_TOO_LARGE;
  return MB_ERROR;
}

mb_status mb_check_raw_deflate(const uint8_t *input, size_t input_length, uint64_t limit) {
  z_stream stream;
  memset(&stream, 0, sizeof(stream));
  if (inflateInit2(&stream, -MAX_WBITS) != Z_OK) return MB_OUT_OF_MEMORY;
  uint8_t scratch[16384];
  stream.next_in = (Bytef *)input;
  size_t remaining = input_length;
  int result = Z_OK;
  // Each call consumes input or produces output, and both are bounded: this ends.
  while (result == Z_OK) {
    if (stream.avail_in == 0) {
      if (remaining == 0) break;
      stream.avail_in = remaining > (1u << 30) ? (1u << 30) : (uInt)remaining;
      remaining -= stream.avail_in;
    }
    stream.next_out = scratch;
    stream.avail_out = sizeof(scratch);
    result = inflate(&stream, Z_NO_FLUSH);
    if (stream.total_out > limit) {
      inflateEnd(&stream);
      return MB_TOO_LARGE;
    }
  }
  inflateEnd(&stream);
  return result == Z_STREAM_END ? MB_OK : MB_ERROR;
}
