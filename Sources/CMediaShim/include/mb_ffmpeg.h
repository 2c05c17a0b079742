// FFmpeg (libavformat, libavcodec, libswscale, libavutil), loaded on first use.
//
// `mediabank` does not link FFmpeg: its libraries pull in some 130 shared libraries, which cost
// every process about 20 ms in the dynamic loader, and most commands never read a video.
// `mb_load_ffmpeg` opens them with dlopen, by the sonames of the headers MediaBank was built
// against, and fills a table of function pointers; each `mb_` function below calls FFmpeg's
// function of the same name through it. The types are FFmpeg's own (CFFmpeg's headers).
//
// Call `mb_load_ffmpeg` first; call the other functions only after it returned MB_OK.
#ifndef MB_FFMPEG_H
#define MB_FFMPEG_H

#include <stddef.h>
#include <stdint.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

#include "CMediaShim.h"

/// Loads libavutil, libswscale, libavcodec and libavformat, once per process (thread-safe). On
/// failure writes e.g. `cannot load libavformat.so.59 (install libavformat59): …` into `message`;
/// every later call fails the same way.
mb_status mb_load_ffmpeg(char *message, size_t message_capacity);

// MARK: libavutil

void mb_av_log_set_level(int level);
int mb_av_strerror(int errnum, char *errbuf, size_t errbuf_size);
int mb_av_dict_set(AVDictionary **pm, const char *key, const char *value, int flags);
AVDictionaryEntry *mb_av_dict_get(const AVDictionary *m, const char *key, const AVDictionaryEntry *prev,
                                  int flags);
void mb_av_dict_free(AVDictionary **m);
AVFrame *mb_av_frame_alloc(void);
void mb_av_frame_free(AVFrame **frame);
int mb_av_frame_ref(AVFrame *dst, const AVFrame *src);
void mb_av_frame_unref(AVFrame *frame);
const char *mb_av_get_pix_fmt_name(enum AVPixelFormat pix_fmt);

// MARK: libavcodec

const char *mb_avcodec_get_name(enum AVCodecID id);
const AVCodec *mb_avcodec_find_decoder(enum AVCodecID id);
AVCodecContext *mb_avcodec_alloc_context3(const AVCodec *codec);
void mb_avcodec_free_context(AVCodecContext **avctx);
int mb_avcodec_parameters_to_context(AVCodecContext *codec, const AVCodecParameters *par);
int mb_avcodec_open2(AVCodecContext *avctx, const AVCodec *codec, AVDictionary **options);
int mb_avcodec_send_packet(AVCodecContext *avctx, const AVPacket *avpkt);
int mb_avcodec_receive_frame(AVCodecContext *avctx, AVFrame *frame);
void mb_avcodec_flush_buffers(AVCodecContext *avctx);
AVPacket *mb_av_packet_alloc(void);
void mb_av_packet_free(AVPacket **pkt);
void mb_av_packet_unref(AVPacket *pkt);

// MARK: libavformat

const AVInputFormat *mb_av_find_input_format(const char *short_name);
int mb_avformat_open_input(AVFormatContext **ps, const char *url, const AVInputFormat *fmt,
                           AVDictionary **options);
int mb_avformat_find_stream_info(AVFormatContext *ic, AVDictionary **options);
void mb_avformat_close_input(AVFormatContext **s);
int mb_av_read_frame(AVFormatContext *s, AVPacket *pkt);
int mb_av_seek_frame(AVFormatContext *s, int stream_index, int64_t timestamp, int flags);
AVRational mb_av_guess_sample_aspect_ratio(AVFormatContext *format, AVStream *stream, AVFrame *frame);

// MARK: libswscale

struct SwsContext *mb_sws_getCachedContext(struct SwsContext *context, int srcW, int srcH,
                                           enum AVPixelFormat srcFormat, int dstW, int dstH,
                                           enum AVPixelFormat dstFormat, int flags, SwsFilter *srcFilter,
                                           SwsFilter *dstFilter, const double *param);
int mb_sws_setColorspaceDetails(struct SwsContext *c, const int inv_table[4], int srcRange,
                                const int table[4], int dstRange, int brightness, int contrast,
                                int saturation);
const int *mb_sws_getCoefficients(int colorspace);
void mb_sws_freeContext(struct SwsContext *swsContext);

// MARK: Helpers (Swift cannot reach a frame's plane array or a stream's side data as C arrays)

/// The counter-clockwise rotation in degrees that the stream's display matrix applies, or 0 when
/// the stream has no (valid) display matrix. FFmpeg 6.1 moved the side data from the stream to
/// its codec parameters; both places are read.
double mb_av_stream_rotation(const AVStream *stream);

/// Converts all of `frame` with `context` into one packed destination plane (e.g. RGB24) of
/// `stride` bytes per row. Returns the height of the output slice, or a negative AVERROR.
int mb_av_scale_frame(struct SwsContext *context, const AVFrame *frame, uint8_t *destination, int stride);

#endif
