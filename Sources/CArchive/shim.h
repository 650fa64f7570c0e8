#include <archive.h>
#include <archive_entry.h>

// Cast macros are not imported into Swift; re-export them as constants.
static const unsigned int CARCHIVE_AE_IFREG = AE_IFREG;
static const unsigned int CARCHIVE_AE_IFDIR = AE_IFDIR;
static const unsigned int CARCHIVE_AE_IFLNK = AE_IFLNK;
