// Package archive is qunbot's third transport: the message archive
// (会话内容存档). It pulls the records WeCom archived after a stored cursor,
// decrypts them and turns group messages into the same bot.Event as the
// callbacks, with Channel bot.ChannelArchive.
//
// A record is {seq, msgid, publickey_ver, encrypt_random_key,
// encrypt_chat_msg}. encrypt_random_key is RSA (PKCS#1 v1.5) encrypted to the
// public key of version publickey_ver, whose private key the deployer
// configures (Keys); the decrypted random key and encrypt_chat_msg go to the
// SDK's DecryptData, which yields the message JSON.
//
// Everything but the two SDK calls is ordinary Go behind Source, so the
// puller, the RSA layer and the decoding are tested against Fake. The real
// Source is WeCom's C Finance SDK, bound with cgo behind the build tag
// msgaudit (sdk_msgaudit.go); the default build has none and NewSDK says so.
//
// Exactly once. Every record becomes an event whose ID is "archive:" + msgid,
// handled by the same engine turn as a callback, so the database's delivery
// key makes a record handled twice (a crash, a second replica) count once.
// The cursor is saved only after every record before it was handled, so a
// kill between the two re-pulls records whose effects are already durable
// and they are recognised as redeliveries. A lease keeps two replicas from
// pulling at the same time.
package archive
