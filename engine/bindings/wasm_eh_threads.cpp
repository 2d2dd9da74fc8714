// Catching C++ exceptions in the engine built with threads (Emscripten 3.1.6, -fwasm-exceptions
// with -pthread). Compiled only there (__EMSCRIPTEN_PTHREADS__); the other builds get nothing.
//
// The landing pads clang 14 emits read the personality's result from a plain global,
// __wasm_lpad_context, while the threaded libunwind of this Emscripten declares it
// thread_local: the personality writes one copy and the landing pad reads the other, so every
// catch clause with a type fails to match and only catch (...) ever runs (every engine error
// then reached JS as "unknown engine error"). Later LLVMs make both sides thread-local. Until
// then this file defines libunwind's small wasm part (system/lib/libunwind/src/Unwind-wasm.c:
// the same functions, same behaviour) with the context as the plain global the compiler
// expects, so the linker never pulls in the library's copy.
//
// One context for all threads: two threads unwinding at the same moment could mix their
// selectors. Only the calling thread throws (the engine's checks run before an op splits its
// work between threads, and the parts' kernels do not throw), and threads.cpp catches anything
// a part throws inside that part.
#ifdef __EMSCRIPTEN_PTHREADS__
#include <cstdint>

extern "C" {
struct _Unwind_Exception;
struct _Unwind_Context;
// the first two fields of libunwind's _Unwind_Exception
struct UnwindExceptionHead {
  uint64_t exception_class;
  void (*exception_cleanup)(int reason, _Unwind_Exception* exception);
};
struct _Unwind_LandingPadContext {
  uintptr_t lpad_index;  // in: the landing pad's index
  uintptr_t lsda;        // in: the function's exception table
  uintptr_t selector;    // out: which catch clause matched
};
constexpr int kCleanupPhase = 2;            // _UA_CLEANUP_PHASE
constexpr int kForeignExceptionCaught = 1;  // _URC_FOREIGN_EXCEPTION_CAUGHT (Emscripten's unwind.h)

int __gxx_personality_wasm0(int version, int actions, uint64_t exception_class,
                            _Unwind_Exception* exception, _Unwind_Context* context);

_Unwind_LandingPadContext __wasm_lpad_context;

// called from the landing pads
int _Unwind_CallPersonality(void* exception_ptr) {
  auto* exception = static_cast<_Unwind_Exception*>(exception_ptr);
  __wasm_lpad_context.selector = 0;
  return __gxx_personality_wasm0(1, kCleanupPhase,
                                 reinterpret_cast<UnwindExceptionHead*>(exception)->exception_class,
                                 exception, reinterpret_cast<_Unwind_Context*>(&__wasm_lpad_context));
}

// called by __cxa_throw
int _Unwind_RaiseException(_Unwind_Exception* exception) { __builtin_wasm_throw(0, exception); }

// called by __cxa_end_catch
void _Unwind_DeleteException(_Unwind_Exception* exception) {
  auto* head = reinterpret_cast<UnwindExceptionHead*>(exception);
  if (head->exception_cleanup) head->exception_cleanup(kForeignExceptionCaught, exception);
}

// the personality sets the selector (register 1) and reads the landing pad and its table
void _Unwind_SetGR(_Unwind_Context* context, int index, uintptr_t value) {
  if (index == 1) reinterpret_cast<_Unwind_LandingPadContext*>(context)->selector = value;
}
uintptr_t _Unwind_GetIP(_Unwind_Context* context) {
  return reinterpret_cast<_Unwind_LandingPadContext*>(context)->lpad_index + 2;  // 1-based, less 1
}
void _Unwind_SetIP(_Unwind_Context*, uintptr_t) {}
uintptr_t _Unwind_GetLanguageSpecificData(_Unwind_Context* context) {
  return reinterpret_cast<_Unwind_LandingPadContext*>(context)->lsda;
}
uintptr_t _Unwind_GetRegionStart(_Unwind_Context*) { return 0; }
}  // extern "C"
#endif
