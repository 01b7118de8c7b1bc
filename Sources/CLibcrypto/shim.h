#ifndef STATIONGUARD_CLIBCRYPTO_SHIM_H
#define STATIONGUARD_CLIBCRYPTO_SHIM_H
/* OpenSSL's one-shot SHA256(): with the CPU's SHA extensions, several times faster than
   portable code, and it runs on every record. */
#include <openssl/sha.h>
#endif
