/*
 * A stand-in for bcryptprimitives.dll, for running the Windows build under
 * Wine 8 only (Windows 8 and later have the real one; the installer never
 * ships this). The Rust standard library asks it for random numbers
 * through ProcessPrng; this answers from RtlGenRandom (advapi32's
 * SystemFunction036), which Wine has.
 */
#include <windows.h>

typedef BOOLEAN(WINAPI *gen_random_fn)(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    static gen_random_fn gen_random;
    if (!gen_random) {
        HMODULE advapi = LoadLibraryA("advapi32.dll");
        if (!advapi)
            return FALSE;
        gen_random = (gen_random_fn)GetProcAddress(advapi, "SystemFunction036");
        if (!gen_random)
            return FALSE;
    }
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!gen_random(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
