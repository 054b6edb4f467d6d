//go:build msgaudit && linux && cgo

package archive

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// These tests link whatever libWeWorkFinanceSdk_C.so the linker finds. CI
// builds the stand-in in testdata/sdkstub and runs them with
//
//	CGO_LDFLAGS=-L<dir> LD_LIBRARY_PATH=<dir> go test -tags msgaudit ./bot/archive -run SDK
//
// which proves the binding links and carries data both ways through C; with
// WeCom's own library they would need a licensed corp instead.

func TestSDKBindingPullsAndDecrypts(t *testing.T) {
	src, closeSDK, err := NewSDK("corp", "secret")
	if err != nil {
		t.Fatal(err)
	}
	defer closeSDK()
	recs, err := src.GetChatData(context.Background(), 0, MaxBatch)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range recs {
		ids = append(ids, r.MsgID)
	}
	if !slices.Equal(ids, []string{"m1", "m2"}) || recs[1].Seq != 2 || recs[0].PublicKeyVer != 3 || recs[0].EncryptRandomKey != "k1" {
		t.Fatalf("records = %+v, want m1 and m2 as the library answered", recs)
	}
	if more, err := src.GetChatData(context.Background(), 2, MaxBatch); err != nil || len(more) != 0 {
		t.Fatalf("after the last seq: %v, %v; want none", more, err)
	}
	msg := strings.Repeat("密文", 300)
	plain, err := src.DecryptData("random-key", msg)
	if err != nil || string(plain) != "random-key:"+msg {
		t.Fatalf("DecryptData = %q, %v", plain, err)
	}
}

func TestSDKBindingReportsLibraryErrors(t *testing.T) {
	if _, _, err := NewSDK("corp", "wrong"); err == nil || !strings.Contains(err.Error(), "10001") {
		t.Fatalf("Init with a wrong secret: %v, want error 10001", err)
	}
	src, closeSDK, err := NewSDK("corp", "secret")
	if err != nil {
		t.Fatal(err)
	}
	defer closeSDK()
	if _, err := src.GetChatData(context.Background(), 0, 0); err == nil || !strings.Contains(err.Error(), "10000") {
		t.Fatalf("GetChatData refused by the library: %v, want error 10000", err)
	}
	closeSDK()
	if _, err := src.GetChatData(context.Background(), 0, 1); err == nil {
		t.Fatal("GetChatData after close succeeded")
	}
}
