//go:build msgaudit && linux && cgo

package archive

// The vendor library is linked from the system library path
// (/usr/local/lib or wherever CGO_LDFLAGS=-L… points); the Dockerfile's
// msgaudit stage copies it from the build context. The prototypes are those
// of WeWorkFinanceSdk_C.h, declared here so the header is not needed.

/*
#cgo LDFLAGS: -lWeWorkFinanceSdk_C
#include <stdlib.h>

typedef struct WeWorkFinanceSdk_t WeWorkFinanceSdk_t;
typedef struct Slice_t { char* buf; int len; } Slice_t;

WeWorkFinanceSdk_t* NewSdk();
int Init(WeWorkFinanceSdk_t* sdk, const char* corpid, const char* secret);
int GetChatData(WeWorkFinanceSdk_t* sdk, unsigned long long seq, unsigned int limit, const char* proxy, const char* passwd, int timeout, Slice_t* chatDatas);
int DecryptData(const char* encrypt_key, const char* encrypt_msg, Slice_t* msg);
void DestroySdk(WeWorkFinanceSdk_t* sdk);
Slice_t* NewSlice();
void FreeSlice(Slice_t* slice);
char* GetContentFromSlice(Slice_t* slice);
int GetSliceLen(Slice_t* slice);
*/
import "C"

import (
	"context"
	"fmt"
	"sync"
	"time"
	"unsafe"
)

// SDKBuilt reports whether this build links WeCom's Finance SDK.
const SDKBuilt = true

// sdkTimeout bounds one GetChatData call (the SDK takes whole seconds).
const sdkTimeout = 10 * time.Second

type sdk struct {
	mu  sync.Mutex // the SDK handle is not documented as safe for concurrent pulls
	ptr *C.WeWorkFinanceSdk_t
}

// NewSDK initialises WeCom's Finance SDK with the corp id and the archive
// Secret. The returned func frees it.
func NewSDK(corpID, secret string) (Source, func(), error) {
	ptr := C.NewSdk()
	cCorp, cSecret := C.CString(corpID), C.CString(secret)
	defer C.free(unsafe.Pointer(cCorp))
	defer C.free(unsafe.Pointer(cSecret))
	if ret := C.Init(ptr, cCorp, cSecret); ret != 0 {
		C.DestroySdk(ptr)
		return nil, nil, fmt.Errorf("archive: SDK Init: error %d", int(ret))
	}
	s := &sdk{ptr: ptr}
	return s, s.close, nil
}

// close frees the SDK handle once; later calls do nothing.
func (s *sdk) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ptr != nil {
		C.DestroySdk(s.ptr)
		s.ptr = nil
	}
}

func sliceBytes(sl *C.Slice_t) []byte {
	return C.GoBytes(unsafe.Pointer(C.GetContentFromSlice(sl)), C.GetSliceLen(sl))
}

func (s *sdk) GetChatData(ctx context.Context, seq int64, limit int) ([]Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ptr == nil {
		return nil, fmt.Errorf("archive: SDK closed")
	}
	timeout := sdkTimeout
	if d, ok := ctx.Deadline(); ok && time.Until(d) < timeout {
		timeout = max(time.Until(d), time.Second)
	}
	empty := C.CString("")
	defer C.free(unsafe.Pointer(empty))
	sl := C.NewSlice()
	defer C.FreeSlice(sl)
	ret := C.GetChatData(s.ptr, C.ulonglong(seq), C.uint(limit), empty, empty, C.int(timeout/time.Second), sl)
	if ret != 0 {
		return nil, fmt.Errorf("archive: GetChatData after %d: SDK error %d", seq, int(ret))
	}
	return decodeChatData(sliceBytes(sl))
}

func (s *sdk) DecryptData(randomKey, encryptChatMsg string) ([]byte, error) {
	cKey, cMsg := C.CString(randomKey), C.CString(encryptChatMsg)
	defer C.free(unsafe.Pointer(cKey))
	defer C.free(unsafe.Pointer(cMsg))
	sl := C.NewSlice()
	defer C.FreeSlice(sl)
	if ret := C.DecryptData(cKey, cMsg, sl); ret != 0 {
		return nil, fmt.Errorf("archive: DecryptData: SDK error %d", int(ret))
	}
	return sliceBytes(sl), nil
}
