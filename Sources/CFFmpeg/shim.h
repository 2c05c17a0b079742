// CFFmpeg: the headers of FFmpeg's libavformat, libavcodec, libswscale and libavutil, for the
// Metadata target: types, struct layouts and constants. The libraries are not linked: their
// functions are called through CMediaShim (`mb_avformat_open_input`…, see mb_ffmpeg.h), which
// loads them on first use. Calling FFmpeg's own names from Swift fails at link time.
//
// Swift cannot import function-like macros (AVERROR, AV_NOPTS_VALUE), so these few `static
// inline` helpers do it; none of them calls into FFmpeg. Every helper is prefixed `mb_av_`. They
// never log and never abort.
#ifndef CFFMPEG_SHIM_H
#define CFFMPEG_SHIM_H

#include <errno.h>
#include <stdint.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
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

#endif
