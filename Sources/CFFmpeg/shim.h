// CFFmpeg: FFmpeg's libavformat, libavcodec, libswscale and libavutil, for the Metadata target.
//
// Swift cannot import function-like macros (AVERROR, AV_NOPTS_VALUE) or reach a frame's plane
// array as a C array, so these few `static inline` helpers do it. Every helper is prefixed
// `mb_av_`. They never log and never abort.
#ifndef CFFMPEG_SHIM_H
#define CFFMPEG_SHIM_H

#include <errno.h>
#include <math.h>
#include <stdint.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/display.h>
#include <libavutil/error.h>
#include <libavutil/log.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

/// AVERROR(EAGAIN): the decoder wants more input before it can return a frame.
static inline int mb_av_error_again(void) { return AVERROR(EAGAIN); }

/// AVERROR_EOF: the end of the file, or a drained decoder.
static inline int mb_av_error_eof(void) { return AVERROR_EOF; }

/// AVERROR_INVALIDDATA: the input is corrupt or not what the demuxer or decoder expects.
static inline int mb_av_error_invalid_data(void) { return AVERROR_INVALIDDATA; }

/// AVERROR(ENOMEM).
static inline int mb_av_error_no_memory(void) { return AVERROR(ENOMEM); }

/// AV_NOPTS_VALUE: "no timestamp".
static inline int64_t mb_av_no_timestamp(void) { return AV_NOPTS_VALUE; }

/// The counter-clockwise rotation in degrees that the stream's display matrix applies, or 0 when
/// the stream has no (valid) display matrix. FFmpeg 6.1 moved the side data from the stream to
/// its codec parameters; both places are read.
static inline double mb_av_stream_rotation(const AVStream *stream) {
  const int32_t *matrix = NULL;
#if LIBAVFORMAT_VERSION_INT >= AV_VERSION_INT(60, 15, 100)
  const AVPacketSideData *side_data =
      av_packet_side_data_get(stream->codecpar->coded_side_data, stream->codecpar->nb_coded_side_data,
                              AV_PKT_DATA_DISPLAYMATRIX);
  if (side_data && side_data->size >= 9 * sizeof(int32_t)) matrix = (const int32_t *)side_data->data;
#else
  size_t size = 0;
  const uint8_t *data = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size);
  if (data && size >= 9 * sizeof(int32_t)) matrix = (const int32_t *)data;
#endif
  if (!matrix) return 0;
  double rotation = av_display_rotation_get(matrix);
  return isnan(rotation) ? 0 : rotation;
}

/// Converts all of `frame` with `context` into one packed destination plane (e.g. RGB24) of
/// `stride` bytes per row. Returns the height of the output slice, or a negative AVERROR.
static inline int mb_av_scale_frame(struct SwsContext *context, const AVFrame *frame, uint8_t *destination,
                                    int stride) {
  uint8_t *planes[4] = {destination, NULL, NULL, NULL};
  int strides[4] = {stride, 0, 0, 0};
  return sws_scale(context, (const uint8_t *const *)frame->data, frame->linesize, 0, frame->height, planes,
                   strides);
}

#endif
