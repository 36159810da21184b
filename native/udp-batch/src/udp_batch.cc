// A UDP socket that reads and writes datagrams in batches: recvmmsg/sendmmsg on a non-blocking socket that
// libuv polls (uv_poll on the addon's own fd). One JavaScript callback per recvmmsg call delivers every datagram
// it returned, in one Buffer, with offsets, lengths, ports and address indexes in an Int32Array the caller owns.
// node:dgram costs a syscall and a callback per datagram; this costs one of each per batch.
//
// JavaScript interface (src/transport/batch-socket.ts is its only user):
//   open(options, meta: Int32Array, onBatch(data, count, addresses, truncated), onError(err)) -> handle
//   send(handle, buffers[], ports[], addresses[], count) -> undefined | Error (the first send error)
//   info(handle) -> { address, port, family, recvBufferSize, sendBufferSize }
//   stats(handle) -> { received, batches, truncated, sent, queued, sendDropped, sendErrors }
//   close(handle, onClosed)
// Errors are JavaScript exceptions with `code` (the errno name, e.g. EADDRINUSE), `errno` (negative, as Node
// reports it) and `syscall`. No callback other than onClosed runs once close() has been called.
#include <node_api.h>
#include <uv.h>

#include <arpa/inet.h>
#include <linux/filter.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <deque>
#include <new>
#include <string>
#include <vector>

namespace {

constexpr int kMetaFields = 4;          // offset, length, port, address index
constexpr int kMaxRoundsPerWakeup = 8;  // recvmmsg calls per readable event before other work gets the loop
constexpr size_t kMaxQueued = 16384;    // datagrams kept while the send buffer is full; beyond, dropped
constexpr int kMaxAddressesPerBatch = 16;

struct Pending {
  std::vector<uint8_t> bytes;
  sockaddr_storage addr;
  socklen_t addrlen;
};

struct Socket {
  napi_env env = nullptr;
  int fd = -1;
  bool ipv6 = false;
  bool closing = false;     // close() called: no more callbacks but onClosed
  bool handleClosed = false;  // uv_close finished
  bool externalGone = false;  // the JavaScript handle was collected
  bool cleanupHook = false;
  uv_poll_t poll;
  int pollEvents = 0;
  unsigned batch = 64;
  unsigned maxDatagram = 4096;
  std::vector<uint8_t> arena;           // batch slots of maxDatagram (+1 so a full slot is told from truncation)
  std::vector<mmsghdr> msgs;
  std::vector<iovec> iovs;
  std::vector<sockaddr_storage> addrs;
  int32_t* meta = nullptr;
  napi_ref metaRef = nullptr;
  napi_ref onBatch = nullptr;
  napi_ref onError = nullptr;
  napi_ref onClosed = nullptr;
  napi_async_context async = nullptr;
  std::deque<Pending> queue;
  // Counters (stats()).
  double received = 0, batches = 0, truncated = 0, sent = 0, sendDropped = 0, sendErrors = 0;
};

#define CHECK(env, call)                                              \
  do {                                                                \
    if ((call) != napi_ok) {                                          \
      const napi_extended_error_info* info_ = nullptr;                \
      napi_get_last_error_info((env), &info_);                        \
      bool pending_ = false;                                          \
      napi_is_exception_pending((env), &pending_);                    \
      if (!pending_)                                                  \
        napi_throw_error((env), "ERR_UDP_BATCH",                      \
                         info_ && info_->error_message ? info_->error_message : "N-API call failed"); \
      return nullptr;                                                 \
    }                                                                 \
  } while (0)

// An Error like Node's system errors: message "syscall CODE detail", code, errno, syscall.
napi_value ErrnoError(napi_env env, int err, const char* syscall, const std::string& detail = "") {
  const char* name = uv_err_name(-err);
  std::string message = std::string(syscall) + " " + name + (detail.empty() ? "" : " " + detail) + " (" + uv_strerror(-err) + ")";
  napi_value code, msg, error, errnoValue, syscallValue;
  napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &code);
  napi_create_string_utf8(env, message.c_str(), message.size(), &msg);
  napi_create_error(env, code, msg, &error);
  napi_create_int32(env, -err, &errnoValue);
  napi_set_named_property(env, error, "errno", errnoValue);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &syscallValue);
  napi_set_named_property(env, error, "syscall", syscallValue);
  return error;
}

void ThrowErrno(napi_env env, int err, const char* syscall, const std::string& detail = "") {
  napi_throw(env, ErrnoError(env, err, syscall, detail));
}

void MaybeDelete(Socket* s) {
  if (s->handleClosed && s->externalGone) delete s;
}

// Runs `fn` as a callback from the event loop: microtasks and process.nextTick run after it, as after any
// Node callback; an exception goes to process 'uncaughtException' like one thrown from an event handler.
void Call(Socket* s, napi_ref fnRef, size_t argc, napi_value* argv) {
  napi_env env = s->env;
  napi_value fn, recv;
  if (napi_get_reference_value(env, fnRef, &fn) != napi_ok || fn == nullptr) return;
  napi_get_global(env, &recv);  // MakeCallback wants an object as `this`
  napi_value result;
  if (napi_make_callback(env, s->async, recv, fn, argc, argv, &result) != napi_ok) {
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (pending) {
      napi_value err;
      napi_get_and_clear_last_exception(env, &err);
      napi_fatal_exception(env, err);
    }
  }
}

void ReportError(Socket* s, int err, const char* syscall) {
  if (s->closing) return;
  napi_handle_scope scope;
  napi_open_handle_scope(s->env, &scope);
  napi_value error = ErrnoError(s->env, err, syscall);
  Call(s, s->onError, 1, &error);
  napi_close_handle_scope(s->env, scope);
}

void Repoll(Socket* s);

std::string FormatAddress(const sockaddr_storage& a, int* port) {
  char text[INET6_ADDRSTRLEN] = "";
  if (a.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&a);
    inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
    *port = ntohs(in6->sin6_port);
  } else {
    const auto* in4 = reinterpret_cast<const sockaddr_in*>(&a);
    inet_ntop(AF_INET, &in4->sin_addr, text, sizeof text);
    *port = ntohs(in4->sin_port);
  }
  return text;
}

bool SameHost(const sockaddr_storage& a, const sockaddr_storage& b) {
  if (a.ss_family != b.ss_family) return false;
  if (a.ss_family == AF_INET6)
    return memcmp(&reinterpret_cast<const sockaddr_in6*>(&a)->sin6_addr, &reinterpret_cast<const sockaddr_in6*>(&b)->sin6_addr, 16) == 0;
  return reinterpret_cast<const sockaddr_in*>(&a)->sin_addr.s_addr == reinterpret_cast<const sockaddr_in*>(&b)->sin_addr.s_addr;
}

// One recvmmsg call and its callback. Returns false when the socket is drained (or closed, or failed).
bool ReceiveRound(Socket* s) {
  const unsigned slot = s->maxDatagram + 1;
  for (unsigned i = 0; i < s->batch; i++) {
    s->iovs[i].iov_base = s->arena.data() + size_t(i) * slot;
    s->iovs[i].iov_len = slot;
    msghdr& h = s->msgs[i].msg_hdr;
    h.msg_name = &s->addrs[i];
    h.msg_namelen = sizeof(sockaddr_storage);
    h.msg_iov = &s->iovs[i];
    h.msg_iovlen = 1;
    h.msg_control = nullptr;
    h.msg_controllen = 0;
    h.msg_flags = 0;
    s->msgs[i].msg_len = 0;
  }
  int n;
  do n = recvmmsg(s->fd, s->msgs.data(), s->batch, MSG_DONTWAIT, nullptr);
  while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK) ReportError(s, errno, "recvmmsg");
    return false;
  }
  if (n == 0) return false;

  // A datagram longer than a slot is never delivered in part: counted and dropped.
  size_t total = 0;
  unsigned truncated = 0;
  for (int i = 0; i < n; i++) {
    if ((s->msgs[i].msg_hdr.msg_flags & MSG_TRUNC) || s->msgs[i].msg_len > s->maxDatagram) truncated++;
    else total += s->msgs[i].msg_len;
  }
  s->truncated += truncated;
  s->batches++;

  napi_env env = s->env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  void* data = nullptr;
  napi_value buffer, addresses;
  if (napi_create_buffer(env, total > 0 ? total : 1, &data, &buffer) != napi_ok || data == nullptr ||
      napi_create_array(env, &addresses) != napi_ok) {
    // Out of memory: this batch is lost (as the kernel drops datagrams when the receive buffer is full).
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (pending) {
      napi_value ignored;
      napi_get_and_clear_last_exception(env, &ignored);
    }
    napi_close_handle_scope(env, scope);
    return false;
  }
  sockaddr_storage seen[kMaxAddressesPerBatch];
  int seenCount = 0;
  size_t offset = 0;
  int count = 0;
  for (int i = 0; i < n; i++) {
    const mmsghdr& m = s->msgs[i];
    if ((m.msg_hdr.msg_flags & MSG_TRUNC) || m.msg_len > s->maxDatagram) continue;
    memcpy(static_cast<uint8_t*>(data) + offset, s->iovs[i].iov_base, m.msg_len);
    const sockaddr_storage& from = s->addrs[i];
    const int port = from.ss_family == AF_INET6 ? ntohs(reinterpret_cast<const sockaddr_in6*>(&from)->sin6_port)
                                                : ntohs(reinterpret_cast<const sockaddr_in*>(&from)->sin_port);
    int index = -1;
    // Most batches come from a few NAS: one address string per distinct sender in the batch.
    for (int k = 0; k < seenCount; k++)
      if (SameHost(seen[k], from)) { index = k; break; }
    if (index < 0) {
      int ignored = 0;
      const std::string text = FormatAddress(from, &ignored);
      napi_value str;
      napi_create_string_latin1(env, text.c_str(), text.size(), &str);
      uint32_t length = 0;
      napi_get_array_length(env, addresses, &length);
      napi_set_element(env, addresses, length, str);
      index = int(length);
      if (seenCount < kMaxAddressesPerBatch) seen[seenCount++] = s->addrs[i];
    }
    int32_t* row = s->meta + size_t(count) * kMetaFields;
    row[0] = int32_t(offset);
    row[1] = int32_t(m.msg_len);
    row[2] = port;
    row[3] = index;
    offset += m.msg_len;
    count++;
  }
  s->received += count;
  napi_value argv[4];
  argv[0] = buffer;
  napi_create_int32(env, count, &argv[1]);
  argv[2] = addresses;
  napi_create_int32(env, int32_t(truncated), &argv[3]);
  Call(s, s->onBatch, 4, argv);
  napi_close_handle_scope(env, scope);
  return !s->closing && unsigned(n) == s->batch;
}

// Sends queued datagrams while the kernel takes them; true when the queue is empty.
bool FlushQueue(Socket* s) {
  std::vector<mmsghdr> msgs;
  std::vector<iovec> iovs;
  while (!s->queue.empty()) {
    const size_t n = s->queue.size() < s->batch ? s->queue.size() : s->batch;
    msgs.assign(n, mmsghdr{});
    iovs.resize(n);
    for (size_t i = 0; i < n; i++) {
      Pending& p = s->queue[i];
      iovs[i].iov_base = p.bytes.data();
      iovs[i].iov_len = p.bytes.size();
      msgs[i].msg_hdr.msg_name = &p.addr;
      msgs[i].msg_hdr.msg_namelen = p.addrlen;
      msgs[i].msg_hdr.msg_iov = &iovs[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    int r;
    do r = sendmmsg(s->fd, msgs.data(), unsigned(n), MSG_DONTWAIT);
    while (r < 0 && errno == EINTR);
    if (r < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) return false;
      // The first datagram cannot be sent (e.g. an unreachable address): it is dropped, the rest go on.
      s->sendErrors++;
      s->queue.pop_front();
      continue;
    }
    s->sent += r;
    for (int i = 0; i < r; i++) s->queue.pop_front();
  }
  return true;
}

void OnPoll(uv_poll_t* handle, int status, int events) {
  Socket* s = static_cast<Socket*>(handle->data);
  if (s->closing) return;
  if (status < 0) {
    ReportError(s, -status, "uv_poll");
    return;
  }
  if (events & UV_WRITABLE) {
    FlushQueue(s);
    if (s->closing) return;
  }
  if (events & UV_READABLE) {
    for (int round = 0; round < kMaxRoundsPerWakeup; round++)
      if (!ReceiveRound(s)) break;
  }
  if (!s->closing) Repoll(s);
}

void Repoll(Socket* s) {
  const int want = UV_READABLE | (s->queue.empty() ? 0 : UV_WRITABLE);
  if (want == s->pollEvents) return;
  s->pollEvents = want;
  uv_poll_start(&s->poll, want, OnPoll);
}

void OnHandleClosed(uv_handle_t* handle) {
  Socket* s = static_cast<Socket*>(handle->data);
  if (s->fd >= 0) close(s->fd);
  s->fd = -1;
  napi_env env = s->env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  if (s->onClosed) {
    napi_ref cb = s->onClosed;
    s->onClosed = nullptr;
    Call(s, cb, 0, nullptr);
    napi_delete_reference(env, cb);
  }
  napi_close_handle_scope(env, scope);
  if (s->async) napi_async_destroy(env, s->async);
  s->async = nullptr;
  s->handleClosed = true;
  MaybeDelete(s);
}

void ReleaseRefs(Socket* s) {
  napi_env env = s->env;
  for (napi_ref* r : {&s->metaRef, &s->onBatch, &s->onError}) {
    if (*r) napi_delete_reference(env, *r);
    *r = nullptr;
  }
  s->meta = nullptr;
}

void StartClose(Socket* s) {
  if (s->closing) return;
  s->closing = true;
  uv_poll_stop(&s->poll);
  s->queue.clear();
  ReleaseRefs(s);
  uv_close(reinterpret_cast<uv_handle_t*>(&s->poll), OnHandleClosed);
}

// The environment is going away (process exit, worker thread end) with the socket still open: the handle is
// released so the loop can close; no JavaScript runs, and the little memory left is the environment's end.
void OnEnvCleanup(void* arg) {
  Socket* s = static_cast<Socket*>(arg);
  s->cleanupHook = false;
  if (s->closing) return;
  s->closing = true;
  uv_poll_stop(&s->poll);
  if (s->fd >= 0) close(s->fd);
  s->fd = -1;
  uv_close(reinterpret_cast<uv_handle_t*>(&s->poll), nullptr);
}

void OnExternalFinalize(napi_env env, void* data, void*) {
  Socket* s = static_cast<Socket*>(data);
  if (s->cleanupHook) {
    napi_remove_env_cleanup_hook(env, OnEnvCleanup, s);
    s->cleanupHook = false;
  }
  s->externalGone = true;
  MaybeDelete(s);
}

Socket* Unwrap(napi_env env, napi_value value) {
  void* data = nullptr;
  if (napi_get_value_external(env, value, &data) != napi_ok || data == nullptr) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "not a udp-batch handle");
    return nullptr;
  }
  return static_cast<Socket*>(data);
}

bool GetNamed(napi_env env, napi_value obj, const char* name, napi_value* out) {
  bool has = false;
  if (napi_has_named_property(env, obj, name, &has) != napi_ok || !has) return false;
  return napi_get_named_property(env, obj, name, out) == napi_ok;
}

int64_t GetInt(napi_env env, napi_value obj, const char* name, int64_t fallback) {
  napi_value v;
  int64_t out = fallback;
  if (GetNamed(env, obj, name, &v)) napi_get_value_int64(env, v, &out);
  return out;
}

bool GetBool(napi_env env, napi_value obj, const char* name) {
  napi_value v;
  bool out = false;
  if (GetNamed(env, obj, name, &v)) napi_get_value_bool(env, v, &out);
  return out;
}

std::string GetString(napi_env env, napi_value v) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, nullptr, 0, &len) != napi_ok) return "";
  std::string out(len, '\0');
  napi_get_value_string_utf8(env, v, out.data(), len + 1, &len);
  return out;
}

bool ParseAddress(const std::string& text, int port, bool ipv6, sockaddr_storage* out, socklen_t* len) {
  memset(out, 0, sizeof *out);
  if (ipv6) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(out);
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(uint16_t(port));
    *len = sizeof(sockaddr_in6);
    return inet_pton(AF_INET6, text.c_str(), &in6->sin6_addr) == 1;
  }
  auto* in4 = reinterpret_cast<sockaddr_in*>(out);
  in4->sin_family = AF_INET;
  in4->sin_port = htons(uint16_t(port));
  *len = sizeof(sockaddr_in);
  return inet_pton(AF_INET, text.c_str(), &in4->sin_addr) == 1;
}

// Spreads the datagrams of one SO_REUSEPORT group over its `groupSize` sockets by the RADIUS Identifier (the
// payload's second octet) rather than by the kernel's hash of the sender's address and port: one NAS sending
// from one source port is then served by every worker, and a retransmission (same Identifier) still reaches
// the socket that answered the original, whose reply cache has it. The program returns the socket's index in
// the group; an index the group does not have (a worker restarting) falls back to the hash. A datagram too
// short to have an Identifier makes the load fail, the program return 0, and the first socket drop it.
int AttachIdentifierSpread(int fd, uint32_t groupSize) {
  sock_filter code[] = {
      {BPF_LD | BPF_B | BPF_ABS, 0, 0, 1},
      {BPF_ALU | BPF_MOD | BPF_K, 0, 0, groupSize},
      {BPF_RET | BPF_A, 0, 0, 0},
  };
  sock_fprog prog = {static_cast<unsigned short>(sizeof code / sizeof code[0]), code};
  return setsockopt(fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &prog, sizeof prog);
}

// open({ address, port, ipv6, reusePort, groupSize, recvBufferBytes, sendBufferBytes, batch, maxDatagram }, meta, onBatch, onError)
napi_value Open(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  if (argc < 4) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "open(options, meta, onBatch, onError)");
    return nullptr;
  }
  napi_value addressValue;
  if (!GetNamed(env, argv[0], "address", &addressValue)) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "options.address is required");
    return nullptr;
  }
  const std::string address = GetString(env, addressValue);
  const int64_t port = GetInt(env, argv[0], "port", 0);
  const bool ipv6 = GetBool(env, argv[0], "ipv6");
  const int64_t batch = GetInt(env, argv[0], "batch", 64);
  const int64_t maxDatagram = GetInt(env, argv[0], "maxDatagram", 4096);
  const int64_t groupSize = GetInt(env, argv[0], "groupSize", 0);
  if (groupSize < 0 || groupSize > 1024) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "groupSize 0-1024");
    return nullptr;
  }
  if (port < 0 || port > 65535 || batch < 1 || batch > 1024 || maxDatagram < 20 || maxDatagram > 65535) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "port 0-65535, batch 1-1024, maxDatagram 20-65535");
    return nullptr;
  }
  napi_typedarray_type type;
  size_t metaLength = 0;
  void* metaData = nullptr;
  bool isTyped = false;
  napi_is_typedarray(env, argv[1], &isTyped);
  if (isTyped) CHECK(env, napi_get_typedarray_info(env, argv[1], &type, &metaLength, &metaData, nullptr, nullptr));
  if (!isTyped || type != napi_int32_array || metaLength < size_t(batch) * kMetaFields) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "meta must be an Int32Array of at least batch * 4");
    return nullptr;
  }

  sockaddr_storage local;
  socklen_t localLen;
  if (!ParseAddress(address, int(port), ipv6, &local, &localLen)) {
    napi_throw_type_error(env, "ERR_INVALID_ADDRESS", ("not an IPv" + std::string(ipv6 ? "6" : "4") + " address: " + address).c_str());
    return nullptr;
  }
  const int fd = socket(ipv6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    ThrowErrno(env, errno, "socket");
    return nullptr;
  }
  const auto fail = [&](const char* syscall) -> napi_value {
    const int err = errno;
    close(fd);
    ThrowErrno(env, err, syscall, address + ":" + std::to_string(port));
    return nullptr;
  };
  const int one = 1;
  if (ipv6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) < 0) return fail("setsockopt");
  // Each cluster worker binds its own socket on the same port; the kernel spreads senders over them.
  if (GetBool(env, argv[0], "reusePort") && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) < 0) return fail("setsockopt");
  const int rcv = int(GetInt(env, argv[0], "recvBufferBytes", 0));
  if (rcv > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv) < 0) return fail("setsockopt");
  const int snd = int(GetInt(env, argv[0], "sendBufferBytes", 0));
  if (snd > 0 && setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &snd, sizeof snd) < 0) return fail("setsockopt");
  if (bind(fd, reinterpret_cast<sockaddr*>(&local), localLen) < 0) return fail("bind");
  // After bind: the program is the group's, and every member attaches the same one.
  if (groupSize > 1 && GetBool(env, argv[0], "reusePort") && AttachIdentifierSpread(fd, uint32_t(groupSize)) < 0) return fail("setsockopt(SO_ATTACH_REUSEPORT_CBPF)");

  uv_loop_t* loop = nullptr;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr) {
    close(fd);
    napi_throw_error(env, "ERR_UDP_BATCH", "no libuv loop");
    return nullptr;
  }
  Socket* s = new (std::nothrow) Socket();
  if (s == nullptr) {
    close(fd);
    napi_throw_error(env, "ERR_UDP_BATCH", "out of memory");
    return nullptr;
  }
  s->env = env;
  s->fd = fd;
  s->ipv6 = ipv6;
  s->batch = unsigned(batch);
  s->maxDatagram = unsigned(maxDatagram);
  s->arena.resize(size_t(batch) * (size_t(maxDatagram) + 1));
  s->msgs.resize(size_t(batch));
  s->iovs.resize(size_t(batch));
  s->addrs.resize(size_t(batch));
  s->meta = static_cast<int32_t*>(metaData);
  napi_create_reference(env, argv[1], 1, &s->metaRef);
  napi_create_reference(env, argv[2], 1, &s->onBatch);
  napi_create_reference(env, argv[3], 1, &s->onError);
  napi_value resource, name;
  napi_create_object(env, &resource);
  napi_create_string_utf8(env, "UdpBatchSocket", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, resource, name, &s->async);

  int r = uv_poll_init(loop, &s->poll, fd);
  if (r < 0) {
    ReleaseRefs(s);
    napi_async_destroy(env, s->async);
    close(fd);
    delete s;
    ThrowErrno(env, -r, "uv_poll_init");
    return nullptr;
  }
  s->poll.data = s;
  Repoll(s);
  napi_add_env_cleanup_hook(env, OnEnvCleanup, s);
  s->cleanupHook = true;
  napi_value handle;
  CHECK(env, napi_create_external(env, s, OnExternalFinalize, nullptr, &handle));
  return handle;
}

// send(handle, buffers, ports, addresses, count): sendmmsg straight from the JavaScript buffers; what the kernel
// does not take now is copied and sent when the socket is writable again (in order).
napi_value Send(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  if (argc < 5) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "send(handle, buffers, ports, addresses, count)");
    return nullptr;
  }
  Socket* s = Unwrap(env, argv[0]);
  if (s == nullptr) return nullptr;
  if (s->closing) {
    napi_throw_error(env, "ERR_SOCKET_DGRAM_NOT_RUNNING", "the socket is closed");
    return nullptr;
  }
  uint32_t count = 0;
  CHECK(env, napi_get_value_uint32(env, argv[4], &count));

  napi_value firstError = nullptr;
  // The iovecs point into the JavaScript buffers; only what has to wait is copied.
  std::vector<mmsghdr> msgs(s->batch);
  std::vector<iovec> iovs(s->batch);
  std::vector<sockaddr_storage> to(s->batch);
  napi_value lastAddress = nullptr;
  std::string lastText;
  uint32_t i = 0;
  while (i < count) {
    uint32_t n = 0;
    for (; i < count && n < s->batch; i++) {
      napi_value buf, portValue, addressValue;
      CHECK(env, napi_get_element(env, argv[1], i, &buf));
      CHECK(env, napi_get_element(env, argv[2], i, &portValue));
      CHECK(env, napi_get_element(env, argv[3], i, &addressValue));
      void* data = nullptr;
      size_t length = 0;
      if (napi_get_buffer_info(env, buf, &data, &length) != napi_ok) {
        napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "buffers must hold Buffers");
        return nullptr;
      }
      int32_t port = 0;
      napi_get_value_int32(env, portValue, &port);
      bool same = false;
      if (lastAddress != nullptr) napi_strict_equals(env, lastAddress, addressValue, &same);
      if (!same) {
        lastText = GetString(env, addressValue);
        lastAddress = addressValue;
      }
      socklen_t len;
      if (port < 1 || port > 65535 || !ParseAddress(lastText, port, s->ipv6, &to[n], &len)) {
        s->sendErrors++;
        if (!firstError) firstError = ErrnoError(env, EINVAL, "sendmmsg", lastText + ":" + std::to_string(port));
        continue;
      }
      iovs[n].iov_base = data;
      iovs[n].iov_len = length;
      msgs[n] = mmsghdr{};
      msgs[n].msg_hdr.msg_name = &to[n];
      msgs[n].msg_hdr.msg_namelen = len;
      msgs[n].msg_hdr.msg_iov = &iovs[n];
      msgs[n].msg_hdr.msg_iovlen = 1;
      n++;
    }
    uint32_t done = 0;
    // Behind a queue, keep the order: everything joins the queue.
    while (done < n && s->queue.empty()) {
      int r;
      do r = sendmmsg(s->fd, msgs.data() + done, n - done, MSG_DONTWAIT);
      while (r < 0 && errno == EINTR);
      if (r < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) break;
        s->sendErrors++;
        if (!firstError) firstError = ErrnoError(env, errno, "sendmmsg");
        done++;  // that datagram is dropped; the rest go on
        continue;
      }
      s->sent += r;
      done += uint32_t(r);
    }
    for (; done < n; done++) {
      if (s->queue.size() >= kMaxQueued) {
        s->sendDropped++;
        continue;
      }
      Pending p;
      const auto* base = static_cast<const uint8_t*>(iovs[done].iov_base);
      p.bytes.assign(base, base + iovs[done].iov_len);
      p.addr = to[done];
      p.addrlen = msgs[done].msg_hdr.msg_namelen;
      s->queue.push_back(std::move(p));
    }
  }
  if (!s->queue.empty()) {
    FlushQueue(s);
    Repoll(s);
  }
  if (firstError) return firstError;
  napi_value undefined;
  napi_get_undefined(env, &undefined);
  return undefined;
}

napi_value SetNumber(napi_env env, napi_value obj, const char* name, double value) {
  napi_value v;
  napi_create_double(env, value, &v);
  napi_set_named_property(env, obj, name, v);
  return obj;
}

napi_value Info(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  Socket* s = argc > 0 ? Unwrap(env, argv[0]) : nullptr;
  if (s == nullptr) return nullptr;
  if (s->closing || s->fd < 0) {
    napi_throw_error(env, "ERR_SOCKET_DGRAM_NOT_RUNNING", "the socket is closed");
    return nullptr;
  }
  sockaddr_storage local;
  socklen_t len = sizeof local;
  if (getsockname(s->fd, reinterpret_cast<sockaddr*>(&local), &len) < 0) {
    ThrowErrno(env, errno, "getsockname");
    return nullptr;
  }
  int port = 0;
  const std::string text = FormatAddress(local, &port);
  int rcv = 0, snd = 0;
  socklen_t optlen = sizeof rcv;
  getsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcv, &optlen);
  optlen = sizeof snd;
  getsockopt(s->fd, SOL_SOCKET, SO_SNDBUF, &snd, &optlen);
  napi_value obj, address, family;
  napi_create_object(env, &obj);
  napi_create_string_latin1(env, text.c_str(), text.size(), &address);
  napi_set_named_property(env, obj, "address", address);
  napi_create_string_latin1(env, s->ipv6 ? "IPv6" : "IPv4", NAPI_AUTO_LENGTH, &family);
  napi_set_named_property(env, obj, "family", family);
  SetNumber(env, obj, "port", port);
  SetNumber(env, obj, "recvBufferSize", rcv);
  SetNumber(env, obj, "sendBufferSize", snd);
  return obj;
}

napi_value Stats(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  Socket* s = argc > 0 ? Unwrap(env, argv[0]) : nullptr;
  if (s == nullptr) return nullptr;
  napi_value obj;
  napi_create_object(env, &obj);
  SetNumber(env, obj, "received", s->received);
  SetNumber(env, obj, "batches", s->batches);
  SetNumber(env, obj, "truncated", s->truncated);
  SetNumber(env, obj, "sent", s->sent);
  SetNumber(env, obj, "queued", double(s->queue.size()));
  SetNumber(env, obj, "sendDropped", s->sendDropped);
  SetNumber(env, obj, "sendErrors", s->sendErrors);
  return obj;
}

// close(handle, onClosed): stops reading at once (no onBatch/onError from here on); onClosed runs when libuv
// has released the handle and the fd is closed. A second close() is a no-op.
napi_value Close(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  Socket* s = argc > 0 ? Unwrap(env, argv[0]) : nullptr;
  if (s == nullptr) return nullptr;
  if (!s->closing) {
    napi_valuetype t = napi_undefined;
    if (argc > 1) napi_typeof(env, argv[1], &t);
    if (t == napi_function) napi_create_reference(env, argv[1], 1, &s->onClosed);
    if (s->cleanupHook) {
      napi_remove_env_cleanup_hook(env, OnEnvCleanup, s);
      s->cleanupHook = false;
    }
    StartClose(s);
  }
  napi_value undefined;
  napi_get_undefined(env, &undefined);
  return undefined;
}

napi_value Init(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"open", nullptr, Open, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"send", nullptr, Send, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"stats", nullptr, Stats, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"close", nullptr, Close, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
