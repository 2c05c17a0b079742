#include "mb_ffmpeg.h"

#include <math.h>

#include <libavutil/display.h>

#include "loader.h"

// The libraries, each after those it depends on.
enum { AVUTIL, SWSCALE, AVCODEC, AVFORMAT };

static mb_library libraries[] = {
    [AVUTIL] = {"libavutil.so." MB_STRING(LIBAVUTIL_VERSION_MAJOR),
                "libavutil" MB_STRING(LIBAVUTIL_VERSION_MAJOR), NULL},
    [SWSCALE] = {"libswscale.so." MB_STRING(LIBSWSCALE_VERSION_MAJOR),
                 "libswscale" MB_STRING(LIBSWSCALE_VERSION_MAJOR), NULL},
    [AVCODEC] = {"libavcodec.so." MB_STRING(LIBAVCODEC_VERSION_MAJOR),
                 "libavcodec" MB_STRING(LIBAVCODEC_VERSION_MAJOR), NULL},
    [AVFORMAT] = {"libavformat.so." MB_STRING(LIBAVFORMAT_VERSION_MAJOR),
                  "libavformat" MB_STRING(LIBAVFORMAT_VERSION_MAJOR), NULL},
};

#if LIBAVFORMAT_VERSION_INT >= AV_VERSION_INT(60, 15, 100)
#define MB_SIDE_DATA(X) X(AVCODEC, av_packet_side_data_get)
#else
#define MB_SIDE_DATA(X) X(AVFORMAT, av_stream_get_side_data)
#endif

// Every FFmpeg function MediaBank calls: (library, name).
#define MB_FFMPEG_FUNCTIONS(X)                  \
  X(AVUTIL, av_log_set_level)                   \
  X(AVUTIL, av_strerror)                        \
  X(AVUTIL, av_dict_set)                        \
  X(AVUTIL, av_dict_get)                        \
  X(AVUTIL, av_dict_free)                       \
  X(AVUTIL, av_frame_alloc)                     \
  X(AVUTIL, av_frame_free)                      \
  X(AVUTIL, av_frame_ref)                       \
  X(AVUTIL, av_frame_unref)                     \
  X(AVUTIL, av_get_pix_fmt_name)                \
  X(AVUTIL, av_display_rotation_get)            \
  X(AVCODEC, avcodec_get_name)                  \
  X(AVCODEC, avcodec_find_decoder)              \
  X(AVCODEC, avcodec_alloc_context3)            \
  X(AVCODEC, avcodec_free_context)              \
  X(AVCODEC, avcodec_parameters_to_context)     \
  X(AVCODEC, avcodec_open2)                     \
  X(AVCODEC, avcodec_send_packet)               \
  X(AVCODEC, avcodec_receive_frame)             \
  X(AVCODEC, avcodec_flush_buffers)             \
  X(AVCODEC, av_packet_alloc)                   \
  X(AVCODEC, av_packet_free)                    \
  X(AVCODEC, av_packet_unref)                   \
  X(AVFORMAT, av_find_input_format)             \
  X(AVFORMAT, avformat_open_input)              \
  X(AVFORMAT, avformat_find_stream_info)        \
  X(AVFORMAT, avformat_close_input)             \
  X(AVFORMAT, av_read_frame)                    \
  X(AVFORMAT, av_seek_frame)                    \
  X(AVFORMAT, av_guess_sample_aspect_ratio)     \
  X(SWSCALE, sws_getCachedContext)              \
  X(SWSCALE, sws_setColorspaceDetails)          \
  X(SWSCALE, sws_getCoefficients)               \
  X(SWSCALE, sws_scale)                         \
  X(SWSCALE, sws_freeContext)                   \
  MB_SIDE_DATA(X)

// The table: each pointer has the exact type of FFmpeg's declaration.
static struct {
#define MB_FIELD(library, name) __typeof__(name) *name;
  MB_FFMPEG_FUNCTIONS(MB_FIELD)
#undef MB_FIELD
} ffmpeg;

static const mb_symbol symbols[] = {
#define MB_SYMBOL(library, name) {library, #name, (void **)&ffmpeg.name},
    MB_FFMPEG_FUNCTIONS(MB_SYMBOL)
#undef MB_SYMBOL
};

static mb_lazy_libraries lazy = MB_LAZY_LIBRARIES(libraries, symbols);

mb_status mb_load_ffmpeg(char *message, size_t message_capacity) { return mb_load_once(&lazy, message, message_capacity); }

// MARK: libavutil

void mb_av_log_set_level(int level) { ffmpeg.av_log_set_level(level); }
int mb_av_strerror(int errnum, char *errbuf, size_t errbuf_size) {
  return ffmpeg.av_strerror(errnum, errbuf, errbuf_size);
}
int mb_av_dict_set(AVDictionary **pm, const char *key, const char *value, int flags) {
  return ffmpeg.av_dict_set(pm, key, value, flags);
}
AVDictionaryEntry *mb_av_dict_get(const AVDictionary *m, const char *key, const AVDictionaryEntry *prev,
                                  int flags) {
  return ffmpeg.av_dict_get(m, key, prev, flags);
}
void mb_av_dict_free(AVDictionary **m) { ffmpeg.av_dict_free(m); }
AVFrame *mb_av_frame_alloc(void) { return ffmpeg.av_frame_alloc(); }
void mb_av_frame_free(AVFrame **frame) { ffmpeg.av_frame_free(frame); }
int mb_av_frame_ref(AVFrame *dst, const AVFrame *src) { return ffmpeg.av_frame_ref(dst, src); }
void mb_av_frame_unref(AVFrame *frame) { ffmpeg.av_frame_unref(frame); }
const char *mb_av_get_pix_fmt_name(enum AVPixelFormat pix_fmt) { return ffmpeg.av_get_pix_fmt_name(pix_fmt); }

// MARK: libavcodec

const char *mb_avcodec_get_name(enum AVCodecID id) { return ffmpeg.avcodec_get_name(id); }
const AVCodec *mb_avcodec_find_decoder(enum AVCodecID id) { return ffmpeg.avcodec_find_decoder(id); }
AVCodecContext *mb_avcodec_alloc_context3(const AVCodec *codec) { return ffmpeg.avcodec_alloc_context3(codec); }
void mb_avcodec_free_context(AVCodecContext **avctx) { ffmpeg.avcodec_free_context(avctx); }
int mb_avcodec_parameters_to_context(AVCodecContext *codec, const AVCodecParameters *par) {
  return ffmpeg.avcodec_parameters_to_context(codec, par);
}
int mb_avcodec_open2(AVCodecContext *avctx, const AVCodec *codec, AVDictionary **options) {
  return ffmpeg.avcodec_open2(avctx, codec, options);
}
int mb_avcodec_send_packet(AVCodecContext *avctx, const AVPacket *avpkt) {
  return ffmpeg.avcodec_send_packet(avctx, avpkt);
}
int mb_avcodec_receive_frame(AVCodecContext *avctx, AVFrame *frame) {
  return ffmpeg.avcodec_receive_frame(avctx, frame);
}
void mb_avcodec_flush_buffers(AVCodecContext *avctx) { ffmpeg.avcodec_flush_buffers(avctx); }
AVPacket *mb_av_packet_alloc(void) { return ffmpeg.av_packet_alloc(); }
void mb_av_packet_free(AVPacket **pkt) { ffmpeg.av_packet_free(pkt); }
void mb_av_packet_unref(AVPacket *pkt) { ffmpeg.av_packet_unref(pkt); }

// MARK: libavformat

const AVInputFormat *mb_av_find_input_format(const char *short_name) {
  return ffmpeg.av_find_input_format(short_name);
}
int mb_avformat_open_input(AVFormatContext **ps, const char *url, const AVInputFormat *fmt,
                           AVDictionary **options) {
  return ffmpeg.avformat_open_input(ps, url, fmt, options);
}
int mb_avformat_find_stream_info(AVFormatContext *ic, AVDictionary **options) {
  return ffmpeg.avformat_find_stream_info(ic, options);
}
void mb_avformat_close_input(AVFormatContext **s) { ffmpeg.avformat_close_input(s); }
int mb_av_read_frame(AVFormatContext *s, AVPacket *pkt) { return ffmpeg.av_read_frame(s, pkt); }
int mb_av_seek_frame(AVFormatContext *s, int stream_index, int64_t timestamp, int flags) {
  return ffmpeg.av_seek_frame(s, stream_index, timestamp, flags);
}
AVRational mb_av_guess_sample_aspect_ratio(AVFormatContext *format, AVStream *stream, AVFrame *frame) {
  return ffmpeg.av_guess_sample_aspect_ratio(format, stream, frame);
}

// MARK: libswscale

struct SwsContext *mb_sws_getCachedContext(struct SwsContext *context, int srcW, int srcH,
                                           enum AVPixelFormat srcFormat, int dstW, int dstH,
                                           enum AVPixelFormat dstFormat, int flags, SwsFilter *srcFilter,
                                           SwsFilter *dstFilter, const double *param) {
  return ffmpeg.sws_getCachedContext(context, srcW, srcH, srcFormat, dstW, dstH, dstFormat, flags, srcFilter,
                                     dstFilter, param);
}
int mb_sws_setColorspaceDetails(struct SwsContext *c, const int inv_table[4], int srcRange,
                                const int table[4], int dstRange, int brightness, int contrast,
                                int saturation) {
  return ffmpeg.sws_setColorspaceDetails(c, inv_table, srcRange, table, dstRange, brightness, contrast,
                                         saturation);
}
const int *mb_sws_getCoefficients(int colorspace) { return ffmpeg.sws_getCoefficients(colorspace); }
void mb_sws_freeContext(struct SwsContext *swsContext) { ffmpeg.sws_freeContext(swsContext); }

// MARK: Helpers

double mb_av_stream_rotation(const AVStream *stream) {
  const int32_t *matrix = NULL;
#if LIBAVFORMAT_VERSION_INT >= AV_VERSION_INT(60, 15, 100)
  const AVPacketSideData *side_data =
      ffmpeg.av_packet_side_data_get(stream->codecpar->coded_side_data, stream->codecpar->nb_coded_side_data,
                                     AV_PKT_DATA_DISPLAYMATRIX);
  if (side_data && side_data->size >= 9 * sizeof(int32_t)) matrix = (const int32_t *)side_data->data;
#else
  size_t size = 0;
  const uint8_t *data = ffmpeg.av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size);
  if (data && size >= 9 * sizeof(int32_t)) matrix = (const int32_t *)data;
#endif
  if (!matrix) return 0;
  double rotation = ffmpeg.av_display_rotation_get(matrix);
  return isnan(rotation) ? 0 : rotation;
}

int mb_av_scale_frame(struct SwsContext *context, const AVFrame *frame, uint8_t *destination, int stride) {
  uint8_t *planes[4] = {destination, NULL, NULL, NULL};
  int strides[4] = {stride, 0, 0, 0};
  return ffmpeg.sws_scale(context, (const uint8_t *const *)frame->data, frame->linesize, 0, frame->height,
                          planes, strides);
}
