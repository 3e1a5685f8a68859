//! Reading a memory-mapped capture that another process cuts short, without dying.
//!
//! A capture file is normally only appended to, which a mapping reads safely. But if it is
//! *truncated* while mapped — a student runs `tcpdump -w lab.pcap` again while the app
//! loads `lab.pcap` — reading a mapped page past the file's new end raises SIGBUS, which
//! kills the process. So while a mapping is read, its address range is registered here
//! ([`Guard`]). A SIGBUS inside a registered range maps a page of zeros over the faulting
//! page, so that the read completes, and marks the range as cut; the reader checks the
//! mark after each record ([`Guard::cut`]) and stops there with a warning, keeping every
//! record read before. A SIGBUS anywhere else goes to the handler that was there before
//! (Rust's stack-overflow handler, or the default action, which ends the process as it
//! would have without us).
//!
//! Linux with glibc only; elsewhere a guard registers nothing and a truncation during the
//! load ends the process as before.

/// A registered mapping; unregistered when dropped (drop it before the mapping).
pub(crate) struct Guard {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    slot: Option<&'static imp::Slot>,
}

impl Guard {
    /// Guard reads of `bytes` (a mapping). Unguarded if the handler cannot be installed or
    /// too many mappings are read at once.
    pub(crate) fn new(bytes: &[u8]) -> Guard {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        {
            Guard {
                slot: imp::register(bytes.as_ptr() as usize, bytes.len()),
            }
        }
        #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
        {
            let _ = bytes;
            Guard {}
        }
    }

    /// Whether a read of the mapping met a page past the file's end (that page reads as
    /// zeros).
    pub(crate) fn cut(&self) -> bool {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        {
            self.slot.is_some_and(imp::Slot::cut)
        }
        #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
        {
            false
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        if let Some(slot) = self.slot {
            slot.release();
        }
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
mod imp {
    use std::ffi::{c_int, c_void};
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    /// One registered mapping. Read by the signal handler, so only atomics.
    pub(crate) struct Slot {
        used: AtomicBool,
        start: AtomicUsize,
        /// 0 while the slot is free or being filled in.
        len: AtomicUsize,
        cut: AtomicBool,
    }

    impl Slot {
        const fn new() -> Slot {
            Slot {
                used: AtomicBool::new(false),
                start: AtomicUsize::new(0),
                len: AtomicUsize::new(0),
                cut: AtomicBool::new(false),
            }
        }

        pub(crate) fn cut(&self) -> bool {
            self.cut.load(Ordering::Acquire)
        }

        pub(crate) fn release(&self) {
            self.len.store(0, Ordering::Release);
            self.used.store(false, Ordering::Release);
        }

        fn contains(&self, addr: usize) -> bool {
            let len = self.len.load(Ordering::Acquire);
            let start = self.start.load(Ordering::Acquire);
            len != 0 && addr >= start && addr - start < len
        }
    }

    /// Mappings read at once (the app reads one or two captures; tests run in parallel).
    const SLOTS: usize = 64;
    static REGISTERED: [Slot; SLOTS] = [const { Slot::new() }; SLOTS];
    static PAGE: AtomicUsize = AtomicUsize::new(0);
    /// The SIGBUS disposition before ours, or `None` if ours could not be installed.
    static PREVIOUS: OnceLock<Option<libc::sigaction>> = OnceLock::new();

    pub(crate) fn register(start: usize, len: usize) -> Option<&'static Slot> {
        PREVIOUS.get_or_init(install).as_ref()?;
        let slot = REGISTERED.iter().find(|slot| {
            slot.used
                .compare_exchange(false, true, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
        })?;
        slot.cut.store(false, Ordering::Release);
        slot.start.store(start, Ordering::Release);
        slot.len.store(len, Ordering::Release);
        Some(slot)
    }

    fn install() -> Option<libc::sigaction> {
        // SAFETY: sysconf has no preconditions.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        PAGE.store(usize::try_from(page).ok()?, Ordering::Release);
        // SAFETY: an all-zero sigaction is a valid value (no handler, empty mask).
        let mut ours: libc::sigaction = unsafe { std::mem::zeroed() };
        ours.sa_sigaction = on_sigbus as extern "C" fn(c_int, *mut libc::siginfo_t, *mut c_void)
            as libc::sighandler_t;
        // On the alternate stack if the thread has one (Rust's stack-overflow handler,
        // which this one calls for faults that are not ours, needs it).
        ours.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
        // SAFETY: `previous` and `ours` are valid sigaction values; sigaction replaces the
        // disposition atomically and reports the old one.
        let mut previous: libc::sigaction = unsafe { std::mem::zeroed() };
        let installed = unsafe {
            libc::sigemptyset(&mut ours.sa_mask);
            libc::sigaction(libc::SIGBUS, &ours, &mut previous)
        };
        (installed == 0).then_some(previous)
    }

    /// The SIGBUS handler. Async-signal-safe: atomics, `mmap` and `signal` only.
    extern "C" fn on_sigbus(sig: c_int, info: *mut libc::siginfo_t, context: *mut c_void) {
        // SAFETY: the kernel passes a valid siginfo for a SA_SIGINFO handler; for SIGBUS
        // its si_addr is the faulting address.
        let addr = if info.is_null() {
            0
        } else {
            unsafe { (*info).si_addr() as usize }
        };
        let page = PAGE.load(Ordering::Acquire);
        if page.is_power_of_two()
            && let Some(slot) = REGISTERED.iter().find(|slot| slot.contains(addr))
        {
            // SAFETY: the page lies inside a read-only mapping this process made and is
            // reading; replacing it with a private page of zeros (MAP_FIXED) changes only
            // what that page reads as, and the mapping's later munmap removes it too.
            let zeros = unsafe {
                libc::mmap(
                    (addr & !(page - 1)) as *mut c_void,
                    page,
                    libc::PROT_READ,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                    -1,
                    0,
                )
            };
            if zeros != libc::MAP_FAILED {
                slot.cut.store(true, Ordering::Release);
                return;
            }
        }
        match PREVIOUS.get() {
            Some(Some(previous))
                if previous.sa_sigaction != libc::SIG_DFL
                    && previous.sa_sigaction != libc::SIG_IGN =>
            {
                // SAFETY: this was installed as a handler of this signal, with the
                // signature its SA_SIGINFO flag says.
                unsafe {
                    if previous.sa_flags & libc::SA_SIGINFO != 0 {
                        let handler: extern "C" fn(c_int, *mut libc::siginfo_t, *mut c_void) =
                            std::mem::transmute(previous.sa_sigaction);
                        handler(sig, info, context);
                    } else {
                        let handler: extern "C" fn(c_int) =
                            std::mem::transmute(previous.sa_sigaction);
                        handler(sig);
                    }
                }
            }
            _ => {
                // The default action: returning runs the faulting read again, which now
                // ends the process as it would have without this handler.
                // SAFETY: signal is async-signal-safe.
                unsafe {
                    libc::signal(libc::SIGBUS, libc::SIG_DFL);
                }
            }
        }
    }
}
