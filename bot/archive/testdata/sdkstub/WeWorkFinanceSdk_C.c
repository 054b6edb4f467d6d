/*
 * A stand-in for WeCom's libWeWorkFinanceSdk_C.so with the same C interface
 * (WeWorkFinanceSdk_C.h), so the msgaudit build can be linked and its cgo
 * binding exercised where the vendor library is not available. It is built
 * by CI only (see .ci/run) and never shipped.
 *
 *   Init        fails with 10001 unless the secret is "secret".
 *   GetChatData answers two records after seq 0 and none after, in the JSON
 *               shape the SDK answers; a limit of 0 fails with 10000.
 *   DecryptData answers the encrypted message back, prefixed with the key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct WeWorkFinanceSdk_t { int ready; } WeWorkFinanceSdk_t;
typedef struct Slice_t { char* buf; int len; } Slice_t;

WeWorkFinanceSdk_t* NewSdk() { return calloc(1, sizeof(WeWorkFinanceSdk_t)); }

int Init(WeWorkFinanceSdk_t* sdk, const char* corpid, const char* secret) {
	if (strcmp(secret, "secret") != 0) return 10001;
	sdk->ready = 1;
	return 0;
}

static void put(Slice_t* s, const char* text) {
	free(s->buf);
	s->len = (int)strlen(text);
	s->buf = malloc(s->len + 1);
	memcpy(s->buf, text, s->len + 1);
}

int GetChatData(WeWorkFinanceSdk_t* sdk, unsigned long long seq, unsigned int limit, const char* proxy,
		const char* passwd, int timeout, Slice_t* chatDatas) {
	if (!sdk->ready || limit == 0) return 10000;
	if (seq >= 2) { put(chatDatas, "{\"errcode\":0,\"errmsg\":\"ok\",\"chatdata\":[]}"); return 0; }
	put(chatDatas, "{\"errcode\":0,\"errmsg\":\"ok\",\"chatdata\":["
		"{\"seq\":1,\"msgid\":\"m1\",\"publickey_ver\":3,\"encrypt_random_key\":\"k1\",\"encrypt_chat_msg\":\"c1\"},"
		"{\"seq\":2,\"msgid\":\"m2\",\"publickey_ver\":3,\"encrypt_random_key\":\"k2\",\"encrypt_chat_msg\":\"c2\"}]}");
	return 0;
}

int DecryptData(const char* encrypt_key, const char* encrypt_msg, Slice_t* msg) {
	char out[4096];
	if (strlen(encrypt_key) + strlen(encrypt_msg) + 2 > sizeof out) return 10002;
	snprintf(out, sizeof out, "%s:%s", encrypt_key, encrypt_msg);
	put(msg, out);
	return 0;
}

void DestroySdk(WeWorkFinanceSdk_t* sdk) { free(sdk); }
Slice_t* NewSlice() { return calloc(1, sizeof(Slice_t)); }
void FreeSlice(Slice_t* slice) { if (slice) { free(slice->buf); free(slice); } }
char* GetContentFromSlice(Slice_t* slice) { return slice->buf; }
int GetSliceLen(Slice_t* slice) { return slice->len; }
