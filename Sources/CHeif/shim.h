// CHeif: libheif's header, for the Metadata target: types and constants. The library is not
// linked: its functions are called through CMediaShim (`mb_heif_context_alloc`…, see mb_heif.h),
// which loads it on first use. Calling libheif's own names from Swift fails at link time.
#include <libheif/heif.h>
