#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# gen-syscall-table.sh - print the TR_EVENT rows of every x86_64 syscall, for
# src/events/events-syscalls.def.  A maintainer tool: run it when a kernel adds
# syscalls, review the diff, commit the result.  The build never runs it.
#
#   src/events/gen-syscall-table.sh BUILD_DIR [SOURCE_DIR] > src/events/events-syscalls.def
#
# BUILD_DIR is a configured kernel tree or a kernel headers package with
# arch/x86/include/generated/asm/syscalls_64.h (the __SYSCALL(nr, sys_x)
# table); SOURCE_DIR holds include/linux/syscalls.h (the asmlinkage
# prototypes).  With Debian's split headers SOURCE_DIR is the "-common"
# sibling of the "-amd64" build dir and is found on its own; otherwise it
# defaults to BUILD_DIR/source, then BUILD_DIR.
#
# Where the rows come from:
#  - numbers and the set of syscalls: the kernel's table;
#  - names, argument names and C type labels: Tracee's (the TRACEE table below,
#    one line per syscall: name, sets, "type name; ..."), so users' filters and
#    parsers carry over; the kernel's "new" names are mapped back (newstat ->
#    stat, newuname -> uname, umount -> umount2, sendfile64 -> sendfile);
#  - arguments Tracee lacks (the kernel grew them) and syscalls Tracee has no
#    line for: derived from the kernel prototype by the type rules in
#    ctype() below;
#  - syscalls newer than the headers given: the NEWER table below, written
#    from the kernels that added them (prototypes as in include/linux/syscalls.h).
# The "default" set is Tracee's legacy default, the DEFAULT list below.
# Warnings (a prototype disagreeing with Tracee's argument count, a syscall
# with neither prototype nor Tracee line) go to stderr.
set -eu

prog=gen-syscall-table

die() {
	printf '%s: %s\n' "$prog" "$*" >&2
	exit 1
}

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	die "usage: $prog BUILD_DIR [SOURCE_DIR] (kernel headers; see the comment at the top)"
fi
build=$1
table=$build/arch/x86/include/generated/asm/syscalls_64.h
[ -f "$table" ] || die "$table not found (give a configured x86_64 kernel build dir or an -amd64 headers package)"
if [ $# -eq 2 ]; then
	src=$2
elif [ -f "$build/include/linux/syscalls.h" ]; then
	src=$build
elif [ -f "$build/source/include/linux/syscalls.h" ]; then
	src=$build/source
else
	src=$(printf '%s\n' "$build" | sed 's:/*$::; s:-[a-z0-9_]*$:-common:')
fi
protos=$src/include/linux/syscalls.h
[ -f "$protos" ] || die "$protos not found (pass the kernel source dir as SOURCE_DIR)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/$prog.XXXXXX") || die "cannot create a temporary directory"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# Tracee's legacy "default" set (syscalls only; "umount" there is x86_64's
# umount2, syscall 166).
cat > "$tmp/default" <<'LIST'
open close stat fstat lstat access dup dup2 socket connect accept bind listen
getsockname clone fork vfork execve kill getdents creat unlink symlink chmod
fchmod chown fchown lchown ptrace setuid setgid setreuid setregid setfsuid
setfsgid mknod prctl mount umount2 init_module delete_module getdents64 openat
mknodat fchownat unlinkat symlinkat fchmodat faccessat accept4 dup3
process_vm_readv process_vm_writev finit_module memfd_create bpf execveat
pkey_mprotect move_mount clone3 close_range openat2 faccessat2
LIST

# Slots the x86_64 table fills with sys_ni_syscall: Tracee still names them
# (lookup_dcookie was removed in Linux 6.9).
cat > "$tmp/ni" <<'LIST'
134 uselib
156 sysctl
174 create_module
177 get_kernel_syms
178 query_module
180 nfsservctl
181 getpmsg
182 putpmsg
183 afs
184 tuxcall
185 security
205 set_thread_area
211 get_thread_area
212 lookup_dcookie
214 epoll_ctl_old
215 epoll_wait_old
236 vserver
LIST

# Syscalls newer than a given headers tree: number, name, Linux version that
# added it, sets, kernel prototype arguments.  Used only when the table lacks
# the number.
cat > "$tmp/newer" <<'LIST'
335	uretprobe	6.11	proc	void
336	uprobe	6.16	proc	void
449	futex_waitv	5.16	ipc ipc_futex	struct futex_waitv __user *waiters, unsigned int nr_futexes, unsigned int flags, struct __kernel_timespec __user *timeout, clockid_t clockid
450	set_mempolicy_home_node	5.17	system system_numa	unsigned long start, unsigned long len, unsigned long home_node, unsigned long flags
451	cachestat	6.5	fs fs_file_attr	unsigned int fd, struct cachestat_range __user *cstat_range, struct cachestat __user *cstat, unsigned int flags
452	fchmodat2	6.6	fs fs_file_attr	int dfd, const char __user *filename, umode_t mode, unsigned int flags
453	map_shadow_stack	6.6	proc proc_mem	unsigned long addr, unsigned long size, unsigned int flags
454	futex_wake	6.7	ipc ipc_futex	void __user *uaddr, unsigned long mask, int nr, unsigned int flags
455	futex_wait	6.7	ipc ipc_futex	void __user *uaddr, unsigned long val, unsigned long mask, unsigned int flags, struct __kernel_timespec __user *timespec, clockid_t clockid
456	futex_requeue	6.7	ipc ipc_futex	struct futex_waitv __user *waiters, unsigned int flags, int nr_wake, int nr_requeue
457	statmount	6.8	fs	const struct mnt_id_req __user *req, struct statmount __user *buf, size_t bufsize, unsigned int flags
458	listmount	6.8	fs	const struct mnt_id_req __user *req, u64 __user *mnt_ids, size_t nr_mnt_ids, unsigned int flags
459	lsm_get_self_attr	6.8	system	unsigned int attr, struct lsm_ctx __user *ctx, u32 __user *size, u32 flags
460	lsm_set_self_attr	6.8	system	unsigned int attr, struct lsm_ctx __user *ctx, u32 size, u32 flags
461	lsm_list_modules	6.8	system	u64 __user *ids, u32 __user *size, u32 flags
462	mseal	6.10	proc proc_mem	unsigned long start, size_t len, unsigned long flags
463	setxattrat	6.13	fs fs_file_attr	int dfd, const char __user *path, unsigned int at_flags, const char __user *name, const struct xattr_args __user *args, size_t size
464	getxattrat	6.13	fs fs_file_attr	int dfd, const char __user *path, unsigned int at_flags, const char __user *name, struct xattr_args __user *args, size_t size
465	listxattrat	6.13	fs fs_file_attr	int dfd, const char __user *path, unsigned int at_flags, char __user *list, size_t size
466	removexattrat	6.13	fs fs_file_attr	int dfd, const char __user *path, unsigned int at_flags, const char __user *name
467	open_tree_attr	6.15	fs	int dfd, const char __user *path, unsigned flags, struct mount_attr __user *uattr, size_t usize
468	file_getattr	6.17	fs fs_file_attr	int dfd, const char __user *filename, struct file_attr __user *attr, size_t usize, unsigned int at_flags
469	file_setattr	6.17	fs fs_file_attr	int dfd, const char __user *filename, struct file_attr __user *attr, size_t usize, unsigned int at_flags
LIST

# Tracee's syscall events: name, sets besides "syscalls" and "default", and
# the arguments as "C type label name; ...".  Facts taken from Tracee's event
# definitions, corrected where they contradict the kernel or the capture
# rules: utimes/mount_setattr paths are const char*, mq_timedsend's message is
# bytes not a string, io_context_t is the kernel's aio_context_t, fsconfig's
# fs_fd is an int; the argument lists follow the kernel where it differs
# (fchmodat, faccessat and eventfd have no flags argument; close_range,
# membarrier, epoll_pwait2, io_uring_enter and process_madvise as the kernel
# declares them); openat's mode is umode_t.
cat > "$tmp/tracee" <<'LIST'
read	fs fs_read_write	int fd; void* buf; size_t count
write	fs fs_read_write	int fd; void* buf; size_t count
open	fs fs_file_ops	const char* pathname; int flags; mode_t mode
close	fs fs_file_ops	int fd
stat	fs fs_file_attr	const char* pathname; struct stat* statbuf
fstat	fs fs_file_attr	int fd; struct stat* statbuf
lstat	fs fs_file_attr	const char* pathname; struct stat* statbuf
poll	fs fs_mux_io	struct pollfd* fds; unsigned int nfds; int timeout
lseek	fs fs_read_write	int fd; off_t offset; unsigned int whence
mmap	proc proc_mem	void* addr; size_t length; int prot; int flags; int fd; off_t off
mprotect	proc proc_mem	void* addr; size_t len; int prot
munmap	proc proc_mem	void* addr; size_t length
brk	proc proc_mem	void* addr
rt_sigaction	signals	int signum; const struct sigaction* act; struct sigaction* oldact; size_t sigsetsize
rt_sigprocmask	signals	int how; sigset_t* set; sigset_t* oldset; size_t sigsetsize
rt_sigreturn	signals	
ioctl	fs fs_fd_ops	int fd; unsigned long request; unsigned long arg
pread64	fs fs_read_write	int fd; void* buf; size_t count; off_t offset
pwrite64	fs fs_read_write	int fd; const void* buf; size_t count; off_t offset
readv	fs fs_read_write	int fd; const struct iovec* iov; int iovcnt
writev	fs fs_read_write	int fd; const struct iovec* iov; int iovcnt
access	fs fs_file_attr	const char* pathname; int mode
pipe	ipc ipc_pipe	int[2] pipefd
select	fs fs_mux_io	int nfds; fd_set* readfds; fd_set* writefds; fd_set* exceptfds; struct timeval* timeout
sched_yield	proc proc_sched	
mremap	proc proc_mem	void* old_address; size_t old_size; size_t new_size; int flags; void* new_address
msync	fs fs_sync	void* addr; size_t length; int flags
mincore	proc proc_mem	void* addr; size_t length; unsigned char* vec
madvise	proc proc_mem	void* addr; size_t length; int advice
shmget	ipc ipc_shm	key_t key; size_t size; int shmflg
shmat	ipc ipc_shm	int shmid; const void* shmaddr; int shmflg
shmctl	ipc ipc_shm	int shmid; int cmd; struct shmid_ds* buf
dup	fs fs_fd_ops	int oldfd
dup2	fs fs_fd_ops	int oldfd; int newfd
pause	signals	
nanosleep	time time_timer	const struct timespec* req; struct timespec* rem
getitimer	time time_timer	int which; struct itimerval* curr_value
alarm	time time_timer	unsigned int seconds
setitimer	time time_timer	int which; struct itimerval* new_value; struct itimerval* old_value
getpid	proc proc_ids	
sendfile	fs fs_read_write	int out_fd; int in_fd; off_t* offset; size_t count
socket	net net_sock	int domain; int type; int protocol
connect	net net_sock	int sockfd; struct sockaddr* addr; int addrlen
accept	net net_sock	int sockfd; struct sockaddr* addr; int* addrlen
sendto	net net_snd_rcv	int sockfd; void* buf; size_t len; int flags; struct sockaddr* dest_addr; int addrlen
recvfrom	net net_snd_rcv	int sockfd; void* buf; size_t len; int flags; struct sockaddr* src_addr; int* addrlen
sendmsg	net net_snd_rcv	int sockfd; struct msghdr* msg; int flags
recvmsg	net net_snd_rcv	int sockfd; struct msghdr* msg; int flags
shutdown	net net_sock	int sockfd; int how
bind	net net_sock	int sockfd; struct sockaddr* addr; int addrlen
listen	net net_sock	int sockfd; int backlog
getsockname	net net_sock	int sockfd; struct sockaddr* addr; int* addrlen
getpeername	net net_sock	int sockfd; struct sockaddr* addr; int* addrlen
socketpair	net net_sock	int domain; int type; int protocol; int[2] sv
setsockopt	net net_sock	int sockfd; int level; int optname; const void* optval; int optlen
getsockopt	net net_sock	int sockfd; int level; int optname; void* optval; int* optlen
clone	proc proc_life	unsigned long flags; void* stack; int* parent_tid; int* child_tid; unsigned long tls
fork	proc proc_life	
vfork	proc proc_life	
execve	proc proc_life	const char* pathname; const char*const* argv; const char*const* envp
exit	proc proc_life	int status
wait4	proc proc_life	pid_t pid; int* wstatus; int options; struct rusage* rusage
kill	signals	pid_t pid; int sig
uname	system	struct utsname* buf
semget	ipc ipc_sem	key_t key; int nsems; int semflg
semop	ipc ipc_sem	int semid; struct sembuf* sops; size_t nsops
semctl	ipc ipc_sem	int semid; int semnum; int cmd; unsigned long arg
shmdt	ipc ipc_shm	const void* shmaddr
msgget	ipc ipc_msgq	key_t key; int msgflg
msgsnd	ipc ipc_msgq	int msqid; struct msgbuf* msgp; size_t msgsz; int msgflg
msgrcv	ipc ipc_msgq	int msqid; struct msgbuf* msgp; size_t msgsz; long msgtyp; int msgflg
msgctl	ipc ipc_msgq	int msqid; int cmd; struct msqid_ds* buf
fcntl	fs fs_fd_ops	int fd; int cmd; unsigned long arg
flock	fs fs_fd_ops	int fd; int operation
fsync	fs fs_sync	int fd
fdatasync	fs fs_sync	int fd
truncate	fs fs_file_ops	const char* path; off_t length
ftruncate	fs fs_file_ops	int fd; off_t length
getdents	fs fs_dir_ops	int fd; struct linux_dirent* dirp; unsigned int count
getcwd	fs fs_dir_ops	char* buf; size_t size
chdir	fs fs_dir_ops	const char* path
fchdir	fs fs_dir_ops	int fd
rename	fs fs_file_ops	const char* oldpath; const char* newpath
mkdir	fs fs_dir_ops	const char* pathname; mode_t mode
rmdir	fs fs_dir_ops	const char* pathname
creat	fs fs_file_ops	const char* pathname; mode_t mode
link	fs fs_link_ops	const char* oldpath; const char* newpath
unlink	fs fs_link_ops	const char* pathname
symlink	fs fs_link_ops	const char* target; const char* linkpath
readlink	fs fs_link_ops	const char* pathname; char* buf; size_t bufsiz
chmod	fs fs_file_attr	const char* pathname; mode_t mode
fchmod	fs fs_file_attr	int fd; mode_t mode
chown	fs fs_file_attr	const char* pathname; uid_t owner; gid_t group
fchown	fs fs_file_attr	int fd; uid_t owner; gid_t group
lchown	fs fs_file_attr	const char* pathname; uid_t owner; gid_t group
umask	fs fs_file_attr	mode_t mask
gettimeofday	time time_tod	struct timeval* tv; struct timezone* tz
getrlimit	proc	int resource; struct rlimit* rlim
getrusage	proc	int who; struct rusage* usage
sysinfo	system	struct sysinfo* info
times	proc	struct tms* buf
ptrace	proc	long request; pid_t pid; void* addr; void* data
getuid	proc proc_ids	
syslog	system	int type; char* bufp; int len
getgid	proc proc_ids	
setuid	proc proc_ids	uid_t uid
setgid	proc proc_ids	gid_t gid
geteuid	proc proc_ids	
getegid	proc proc_ids	
setpgid	proc proc_ids	pid_t pid; pid_t pgid
getppid	proc proc_ids	
getpgrp	proc proc_ids	
setsid	proc proc_ids	
setreuid	proc proc_ids	uid_t ruid; uid_t euid
setregid	proc proc_ids	gid_t rgid; gid_t egid
getgroups	proc proc_ids	int size; gid_t* list
setgroups	proc proc_ids	int size; gid_t* list
setresuid	proc proc_ids	uid_t ruid; uid_t euid; uid_t suid
getresuid	proc proc_ids	uid_t* ruid; uid_t* euid; uid_t* suid
setresgid	proc proc_ids	gid_t rgid; gid_t egid; gid_t sgid
getresgid	proc proc_ids	gid_t* rgid; gid_t* egid; gid_t* sgid
getpgid	proc proc_ids	pid_t pid
setfsuid	proc proc_ids	uid_t fsuid
setfsgid	proc proc_ids	gid_t fsgid
getsid	proc proc_ids	pid_t pid
capget	proc	cap_user_header_t hdrp; cap_user_data_t datap
capset	proc	cap_user_header_t hdrp; const cap_user_data_t datap
rt_sigpending	signals	sigset_t* set; size_t sigsetsize
rt_sigtimedwait	signals	const sigset_t* set; siginfo_t* info; const struct timespec* timeout; size_t sigsetsize
rt_sigqueueinfo	signals	pid_t tgid; int sig; siginfo_t* info
rt_sigsuspend	signals	sigset_t* mask; size_t sigsetsize
sigaltstack	signals	const stack_t* ss; stack_t* old_ss
utime	fs fs_file_attr	const char* filename; const struct utimbuf* times
mknod	fs fs_file_ops	const char* pathname; mode_t mode; dev_t dev
uselib	proc	const char* library
personality	system	unsigned long persona
ustat	fs fs_info	dev_t dev; struct ustat* ubuf
statfs	fs fs_info	const char* path; struct statfs* buf
fstatfs	fs fs_info	int fd; struct statfs* buf
sysfs	fs fs_info	int option
getpriority	proc proc_sched	int which; int who
setpriority	proc proc_sched	int which; int who; int prio
sched_setparam	proc proc_sched	pid_t pid; struct sched_param* param
sched_getparam	proc proc_sched	pid_t pid; struct sched_param* param
sched_setscheduler	proc proc_sched	pid_t pid; int policy; struct sched_param* param
sched_getscheduler	proc proc_sched	pid_t pid
sched_get_priority_max	proc proc_sched	int policy
sched_get_priority_min	proc proc_sched	int policy
sched_rr_get_interval	proc proc_sched	pid_t pid; struct timespec* tp
mlock	proc proc_mem	const void* addr; size_t len
munlock	proc proc_mem	const void* addr; size_t len
mlockall	proc proc_mem	int flags
munlockall	proc proc_mem	
vhangup	system	
modify_ldt	proc proc_mem	int func; void* ptr; unsigned long bytecount
pivot_root	fs	const char* new_root; const char* put_old
sysctl	system	struct __sysctl_args* args
prctl	proc	int option; unsigned long arg2; unsigned long arg3; unsigned long arg4; unsigned long arg5
arch_prctl	proc	int option; unsigned long addr
adjtimex	time time_clock	struct timex* buf
setrlimit	proc	int resource; const struct rlimit* rlim
chroot	fs fs_dir_ops	const char* path
sync	fs fs_sync	
acct	system	const char* filename
settimeofday	time time_tod	const struct timeval* tv; const struct timezone* tz
mount	fs	const char* source; const char* target; const char* filesystemtype; unsigned long mountflags; const void* data
umount2	fs	const char* target; int flags
swapon	fs	const char* path; int swapflags
swapoff	fs	const char* path
reboot	system	int magic; int magic2; int cmd; void* arg
sethostname	net	const char* name; size_t len
setdomainname	net	const char* name; size_t len
iopl	system	int level
ioperm	system	unsigned long from; unsigned long num; int turn_on
create_module	system system_module	
init_module	system system_module	void* module_image; unsigned long len; const char* param_values
delete_module	system system_module	const char* name; int flags
get_kernel_syms	system system_module	
query_module	system system_module	
quotactl	system	int cmd; const char* special; int id; void* addr
nfsservctl	fs	
getpmsg		
putpmsg		
afs		
tuxcall		
security		
gettid	proc proc_ids	
readahead	fs	int fd; off_t offset; size_t count
setxattr	fs fs_file_attr	const char* path; const char* name; const void* value; size_t size; int flags
lsetxattr	fs fs_file_attr	const char* path; const char* name; const void* value; size_t size; int flags
fsetxattr	fs fs_file_attr	int fd; const char* name; const void* value; size_t size; int flags
getxattr	fs fs_file_attr	const char* path; const char* name; void* value; size_t size
lgetxattr	fs fs_file_attr	const char* path; const char* name; void* value; size_t size
fgetxattr	fs fs_file_attr	int fd; const char* name; void* value; size_t size
listxattr	fs fs_file_attr	const char* path; char* list; size_t size
llistxattr	fs fs_file_attr	const char* path; char* list; size_t size
flistxattr	fs fs_file_attr	int fd; char* list; size_t size
removexattr	fs fs_file_attr	const char* path; const char* name
lremovexattr	fs fs_file_attr	const char* path; const char* name
fremovexattr	fs fs_file_attr	int fd; const char* name
tkill	signals	int tid; int sig
time	time time_tod	time_t* tloc
futex	ipc ipc_futex	int* uaddr; int futex_op; int val; const struct timespec* timeout; int* uaddr2; int val3
sched_setaffinity	proc proc_sched	pid_t pid; size_t cpusetsize; unsigned long* mask
sched_getaffinity	proc proc_sched	pid_t pid; size_t cpusetsize; unsigned long* mask
set_thread_area	proc	struct user_desc* u_info
io_setup	fs fs_async_io	unsigned int nr_events; aio_context_t* ctx_idp
io_destroy	fs fs_async_io	aio_context_t ctx_id
io_getevents	fs fs_async_io	aio_context_t ctx_id; long min_nr; long nr; struct io_event* events; struct timespec* timeout
io_submit	fs fs_async_io	aio_context_t ctx_id; long nr; struct iocb** iocbpp
io_cancel	fs fs_async_io	aio_context_t ctx_id; struct iocb* iocb; struct io_event* result
get_thread_area	proc	struct user_desc* u_info
lookup_dcookie	fs fs_dir_ops	u64 cookie; char* buffer; size_t len
epoll_create	fs fs_mux_io	int size
epoll_ctl_old	fs fs_mux_io	
epoll_wait_old	fs fs_mux_io	
remap_file_pages		void* addr; size_t size; int prot; size_t pgoff; int flags
getdents64	fs fs_dir_ops	unsigned int fd; struct linux_dirent64* dirp; unsigned int count
set_tid_address	proc	int* tidptr
restart_syscall	signals	
semtimedop	ipc ipc_sem	int semid; struct sembuf* sops; size_t nsops; const struct timespec* timeout
fadvise64	fs	int fd; off_t offset; size_t len; int advice
timer_create	time time_timer	const clockid_t clockid; struct sigevent* sevp; timer_t* timer_id
timer_settime	time time_timer	timer_t timer_id; int flags; const struct itimerspec* new_value; struct itimerspec* old_value
timer_gettime	time time_timer	timer_t timer_id; struct itimerspec* curr_value
timer_getoverrun	time time_timer	timer_t timer_id
timer_delete	time time_timer	timer_t timer_id
clock_settime	time time_clock	const clockid_t clockid; const struct timespec* tp
clock_gettime	time time_clock	const clockid_t clockid; struct timespec* tp
clock_getres	time time_clock	const clockid_t clockid; struct timespec* res
clock_nanosleep	time time_clock	const clockid_t clockid; int flags; const struct timespec* request; struct timespec* remain
exit_group	proc proc_life	int status
epoll_wait	fs fs_mux_io	int epfd; struct epoll_event* events; int maxevents; int timeout
epoll_ctl	fs fs_mux_io	int epfd; int op; int fd; struct epoll_event* event
tgkill	signals	int tgid; int tid; int sig
utimes	fs fs_file_attr	const char* filename; struct timeval* times
vserver		
mbind	system system_numa	void* addr; unsigned long len; int mode; const unsigned long* nodemask; unsigned long maxnode; unsigned int flags
set_mempolicy	system system_numa	int mode; const unsigned long* nodemask; unsigned long maxnode
get_mempolicy	system system_numa	int* mode; unsigned long* nodemask; unsigned long maxnode; void* addr; unsigned long flags
mq_open	ipc ipc_msgq	const char* name; int oflag; mode_t mode; struct mq_attr* attr
mq_unlink	ipc ipc_msgq	const char* name
mq_timedsend	ipc ipc_msgq	mqd_t mqdes; const void* msg_ptr; size_t msg_len; unsigned int msg_prio; const struct timespec* abs_timeout
mq_timedreceive	ipc ipc_msgq	mqd_t mqdes; char* msg_ptr; size_t msg_len; unsigned int* msg_prio; const struct timespec* abs_timeout
mq_notify	ipc ipc_msgq	mqd_t mqdes; const struct sigevent* sevp
mq_getsetattr	ipc ipc_msgq	mqd_t mqdes; const struct mq_attr* newattr; struct mq_attr* oldattr
kexec_load	system	unsigned long entry; unsigned long nr_segments; struct kexec_segment* segments; unsigned long flags
waitid	proc proc_life	int idtype; pid_t id; struct siginfo* infop; int options; struct rusage* rusage
add_key	system system_keys	const char* type; const char* description; const void* payload; size_t plen; key_serial_t keyring
request_key	system system_keys	const char* type; const char* description; const char* callout_info; key_serial_t dest_keyring
keyctl	system system_keys	int operation; unsigned long arg2; unsigned long arg3; unsigned long arg4; unsigned long arg5
ioprio_set	proc proc_sched	int which; int who; int ioprio
ioprio_get	proc proc_sched	int which; int who
inotify_init	fs fs_monitor	
inotify_add_watch	fs fs_monitor	int fd; const char* pathname; u32 mask
inotify_rm_watch	fs fs_monitor	int fd; int wd
migrate_pages	system system_numa	int pid; unsigned long maxnode; const unsigned long* old_nodes; const unsigned long* new_nodes
openat	fs fs_file_ops	int dirfd; const char* pathname; int flags; umode_t mode
mkdirat	fs fs_dir_ops	int dirfd; const char* pathname; mode_t mode
mknodat	fs fs_file_ops	int dirfd; const char* pathname; mode_t mode; dev_t dev
fchownat	fs fs_file_attr	int dirfd; const char* pathname; uid_t owner; gid_t group; int flags
futimesat	fs fs_file_attr	int dirfd; const char* pathname; struct timeval* times
newfstatat	fs fs_file_attr	int dirfd; const char* pathname; struct stat* statbuf; int flags
unlinkat	fs fs_link_ops	int dirfd; const char* pathname; int flags
renameat	fs fs_file_ops	int olddirfd; const char* oldpath; int newdirfd; const char* newpath
linkat	fs fs_link_ops	int olddirfd; const char* oldpath; int newdirfd; const char* newpath; unsigned int flags
symlinkat	fs fs_link_ops	const char* target; int newdirfd; const char* linkpath
readlinkat	fs fs_link_ops	int dirfd; const char* pathname; char* buf; int bufsiz
fchmodat	fs fs_file_attr	int dirfd; const char* pathname; mode_t mode
faccessat	fs fs_file_attr	int dirfd; const char* pathname; int mode
pselect6	fs fs_mux_io	int nfds; fd_set* readfds; fd_set* writefds; fd_set* exceptfds; struct timespec* timeout; void* sigmask
ppoll	fs fs_mux_io	struct pollfd* fds; unsigned int nfds; struct timespec* tmo_p; const sigset_t* sigmask; size_t sigsetsize
unshare	proc	int flags
set_robust_list	ipc ipc_futex	struct robust_list_head* head; size_t len
get_robust_list	ipc ipc_futex	int pid; struct robust_list_head** head_ptr; size_t* len_ptr
splice	ipc ipc_pipe	int fd_in; off_t* off_in; int fd_out; off_t* off_out; size_t len; unsigned int flags
tee	ipc ipc_pipe	int fd_in; int fd_out; size_t len; unsigned int flags
sync_file_range	fs fs_sync	int fd; off_t offset; off_t nbytes; unsigned int flags
vmsplice	ipc ipc_pipe	int fd; const struct iovec* iov; unsigned long nr_segs; unsigned int flags
move_pages	system system_numa	int pid; unsigned long count; const void** pages; const int* nodes; int* status; int flags
utimensat	fs fs_file_attr	int dirfd; const char* pathname; struct timespec* times; int flags
epoll_pwait	fs fs_mux_io	int epfd; struct epoll_event* events; int maxevents; int timeout; const sigset_t* sigmask; size_t sigsetsize
signalfd	signals	int fd; sigset_t* mask; int flags
timerfd_create	time time_timer	int clockid; int flags
eventfd	signals	unsigned int initval
fallocate	fs fs_file_ops	int fd; int mode; off_t offset; off_t len
timerfd_settime	time time_timer	int fd; int flags; const struct itimerspec* new_value; struct itimerspec* old_value
timerfd_gettime	time time_timer	int fd; struct itimerspec* curr_value
accept4	net net_sock	int sockfd; struct sockaddr* addr; int* addrlen; int flags
signalfd4	signals	int fd; const sigset_t* mask; size_t sizemask; int flags
eventfd2	signals	unsigned int initval; int flags
epoll_create1	fs fs_mux_io	int flags
dup3	fs fs_fd_ops	int oldfd; int newfd; int flags
pipe2	ipc ipc_pipe	int[2] pipefd; int flags
inotify_init1	fs fs_monitor	int flags
preadv	fs fs_read_write	int fd; const struct iovec* iov; unsigned long iovcnt; unsigned long pos_l; unsigned long pos_h
pwritev	fs fs_read_write	int fd; const struct iovec* iov; unsigned long iovcnt; unsigned long pos_l; unsigned long pos_h
rt_tgsigqueueinfo	signals	pid_t tgid; pid_t tid; int sig; siginfo_t* info
perf_event_open	system	struct perf_event_attr* attr; pid_t pid; int cpu; int group_fd; unsigned long flags
recvmmsg	net net_snd_rcv	int sockfd; struct mmsghdr* msgvec; unsigned int vlen; int flags; struct timespec* timeout
fanotify_init	fs fs_monitor	unsigned int flags; unsigned int event_f_flags
fanotify_mark	fs fs_monitor	int fanotify_fd; unsigned int flags; u64 mask; int dirfd; const char* pathname
prlimit64	proc	pid_t pid; int resource; const struct rlimit64* new_limit; struct rlimit64* old_limit
name_to_handle_at	fs fs_file_ops	int dirfd; const char* pathname; struct file_handle* handle; int* mount_id; int flags
open_by_handle_at	fs fs_file_ops	int mount_fd; struct file_handle* handle; int flags
clock_adjtime	time time_clock	const clockid_t clk_id; struct timex* buf
syncfs	fs fs_sync	int fd
sendmmsg	net net_snd_rcv	int sockfd; struct mmsghdr* msgvec; unsigned int vlen; int flags
setns	proc	int fd; int nstype
getcpu	system system_numa	unsigned int* cpu; unsigned int* node; struct getcpu_cache* tcache
process_vm_readv	proc	pid_t pid; const struct iovec* local_iov; unsigned long liovcnt; const struct iovec* remote_iov; unsigned long riovcnt; unsigned long flags
process_vm_writev	proc	pid_t pid; const struct iovec* local_iov; unsigned long liovcnt; const struct iovec* remote_iov; unsigned long riovcnt; unsigned long flags
kcmp	proc	pid_t pid1; pid_t pid2; int type; unsigned long idx1; unsigned long idx2
finit_module	system system_module	int fd; const char* param_values; int flags
sched_setattr	proc proc_sched	pid_t pid; struct sched_attr* attr; unsigned int flags
sched_getattr	proc proc_sched	pid_t pid; struct sched_attr* attr; unsigned int size; unsigned int flags
renameat2	fs fs_file_ops	int olddirfd; const char* oldpath; int newdirfd; const char* newpath; unsigned int flags
seccomp	proc	unsigned int operation; unsigned int flags; const void* args
getrandom	fs	void* buf; size_t buflen; unsigned int flags
memfd_create	fs fs_file_ops	const char* name; unsigned int flags
kexec_file_load	system	int kernel_fd; int initrd_fd; unsigned long cmdline_len; const char* cmdline; unsigned long flags
bpf	system	int cmd; union bpf_attr* attr; unsigned int size
execveat	proc proc_life	int dirfd; const char* pathname; const char*const* argv; const char*const* envp; int flags
userfaultfd	system	int flags
membarrier	proc proc_mem	int cmd; unsigned int flags; int cpu_id
mlock2	proc proc_mem	const void* addr; size_t len; int flags
copy_file_range	fs fs_read_write	int fd_in; off_t* off_in; int fd_out; off_t* off_out; size_t len; unsigned int flags
preadv2	fs fs_read_write	int fd; const struct iovec* iov; unsigned long iovcnt; unsigned long pos_l; unsigned long pos_h; int flags
pwritev2	fs fs_read_write	int fd; const struct iovec* iov; unsigned long iovcnt; unsigned long pos_l; unsigned long pos_h; int flags
pkey_mprotect	proc proc_mem	void* addr; size_t len; int prot; int pkey
pkey_alloc	proc proc_mem	unsigned int flags; unsigned long access_rights
pkey_free	proc proc_mem	int pkey
statx	fs fs_file_attr	int dirfd; const char* pathname; int flags; unsigned int mask; struct statx* statxbuf
io_pgetevents	fs fs_async_io	aio_context_t ctx_id; long min_nr; long nr; struct io_event* events; struct timespec* timeout; const struct __aio_sigset* usig
rseq		struct rseq* rseq; u32 rseq_len; int flags; u32 sig
pidfd_send_signal	signals	int pidfd; int sig; siginfo_t* info; unsigned int flags
io_uring_setup		unsigned int entries; struct io_uring_params* p
io_uring_enter		unsigned int fd; unsigned int to_submit; unsigned int min_complete; unsigned int flags; const void* argp; size_t argsz
io_uring_register		unsigned int fd; unsigned int opcode; void* arg; unsigned int nr_args
open_tree		int dfd; const char* filename; unsigned int flags
move_mount	fs	int from_dfd; const char* from_path; int to_dfd; const char* to_path; unsigned int flags
fsopen	fs	const char* fsname; unsigned int flags
fsconfig	fs	int fs_fd; unsigned int cmd; const char* key; const void* value; int aux
fsmount	fs	int fsfd; unsigned int flags; unsigned int ms_flags
fspick	fs	int dirfd; const char* pathname; unsigned int flags
pidfd_open		pid_t pid; unsigned int flags
clone3	proc proc_life	struct clone_args* cl_args; size_t size
close_range	fs fs_file_ops	unsigned int first; unsigned int last; unsigned int flags
openat2	fs fs_file_ops	int dirfd; const char* pathname; struct open_how* how; size_t size
pidfd_getfd		int pidfd; int targetfd; unsigned int flags
faccessat2	fs fs_file_attr	int fd; const char* path; int mode; int flag
process_madvise		int pidfd; const struct iovec* vec; size_t vlen; int advice; unsigned int flags
epoll_pwait2	fs fs_mux_io	int fd; struct epoll_event* events; int maxevents; const struct timespec* timeout; const sigset_t* sigset; size_t sigsetsize
mount_setattr	fs	int dfd; const char* path; unsigned int flags; struct mount_attr* uattr; size_t usize
quotactl_fd	fs	unsigned int fd; unsigned int cmd; qid_t id; void* addr
landlock_create_ruleset	proc fs	struct landlock_ruleset_attr* attr; size_t size; u32 flags
landlock_add_rule	proc fs	int ruleset_fd; landlock_rule_type rule_type; void* rule_attr; u32 flags
landlock_restrict_self	proc fs	int ruleset_fd; u32 flags
memfd_secret		unsigned int flags
process_mrelease		int pidfd; unsigned int flags
LIST

# One prototype per line: "name<TAB>args" from the asmlinkage declarations.
awk '
/^[ \t]*asmlinkage[ \t]+long[ \t]+sys_/ { buf = ""; on = 1 }
on {
	buf = buf " " $0
	if ($0 ~ /\)[ \t]*;/) {
		on = 0
		gsub(/[ \t]+/, " ", buf)
		sub(/^ *asmlinkage long sys_/, "", buf)
		n = index(buf, "(")
		name = substr(buf, 1, n - 1)
		args = substr(buf, n + 1)
		sub(/\) *; *$/, "", args)
		print name "\t" args
	}
}' "$protos" > "$tmp/protos"

# __SYSCALL(nr, sys_x) since Linux 5.12, __SYSCALL_COMMON/__SYSCALL_64 before
# (x32 rows left out), __SYSCALL_NORETURN for exit and exit_group since 6.11.
grep -v '^__SYSCALL_X32' "$table" |
	sed -n 's/^__SYSCALL[_A-Z0-9]*(\([0-9]*\), *\([a-z0-9_]*\))$/\1 \2/p' > "$tmp/table"
[ -s "$tmp/table" ] || die "no __SYSCALL(nr, sys_x) line in $table"

release=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$build/include/generated/utsrelease.h" 2>/dev/null || :)

# Shown in the output header without the local directories above the trees.
show_table=$(basename "$build")/arch/x86/include/generated/asm/syscalls_64.h
show_protos=$(basename "$src")/include/linux/syscalls.h

awk -v release="${release:-unknown}" -v tablefile="$show_table" -v protofile="$show_protos" '
function warn(msg) { printf "gen-syscall-table: %s\n", msg > "/dev/stderr"; nwarn++ }

function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }

# Split a prototype argument list at top-level commas into A[1..n].
function split_args(s, A,    n, i, c, depth, cur) {
	n = 0; depth = 0; cur = ""
	s = trim(s)
	if (s == "" || s == "void")
		return 0
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c == "(") depth++
		if (c == ")") depth--
		if (c == "," && depth == 0) { A[++n] = trim(cur); cur = ""; continue }
		cur = cur c
	}
	A[++n] = trim(cur)
	return n
}

# The parameter name of a declaration ("" when the prototype omits it).
function decl_name(d,    t) {
	t = d
	gsub(/\*/, " * ", t)
	t = trim(t)
	if (!match(t, /[A-Za-z_][A-Za-z0-9_]*$/))
		return ""
	t = substr(t, RSTART, RLENGTH)
	if (t in BASETYPE || d ~ /\*[ \t]*$/ || t == "__user")
		return ""
	# A lone type ("long", "aio_context_t") has no name.
	if (split(trim(d), W, /[ \t*]+/) == 1)
		return ""
	return t
}

# Names as Tracee spells them.
function tracee_name(n) {
	if (n == "dfd") return "dirfd"
	if (n == "filename") return "pathname"
	return n
}

# Path and name strings: captured as strings.  Other const char* are buffers.
function is_string_arg(n) {
	return n ~ /^(pathname|filename|path|name|name_user|uname_ptr|oldname|newname|old|new|oldpath|newpath|specialfile|special|dev_name|dir_name|type|_type|fs_name|fsname|key|library|uargs|param_values|target|linkpath|source|filesystemtype|new_root|put_old|from_path|to_path|cmdline|cmdline_ptr|description|_description|callout_info|_callout_info)$/
}

# The C type label of one kernel declaration whose kernel parameter name is n.
function ctype(d, n,    t, isconst, stars, base) {
	t = d
	gsub(/__user/, "", t)
	gsub(/\*/, " * ", t)
	gsub(/[ \t]+/, " ", t)
	t = " " trim(t) " "
	if (n != "")
		sub(" " n " $", " ", t)
	t = trim(t)
	sub(/^enum /, "", t)
	if (t ~ /^const char \* const \*$/)
		return "const char*const*"
	stars = gsub(/ \*/, "", t)
	t = trim(t)
	isconst = 0
	if (t ~ /^const /) { isconst = 1; sub(/^const /, "", t) }
	if (t == "unsigned") t = "unsigned int"
	if (t == "__u32" || t == "uint32_t") t = "u32"
	if (t == "__u64" || t == "uint64_t") t = "u64"
	if (t == "__s32") t = "int"
	if (t == "loff_t") t = "off_t"
	if (t == "__kernel_old_time_t") t = "time_t"
	if (t ~ /^struct __kernel_(old_)?timespec$/) t = "struct timespec"
	if (t == "struct __kernel_old_timeval") t = "struct timeval"
	if (t == "struct __kernel_itimerspec") t = "struct itimerspec"
	if (t == "struct __kernel_old_itimerval") t = "struct itimerval"
	if (t == "struct __kernel_timex") t = "struct timex"
	if (t == "struct new_utsname") t = "struct utsname"
	if (t == "struct user_msghdr") t = "struct msghdr"
	if (stars == 0) {
		if (t == "unsigned int" && n ~ /(^fd|fd$|dirfd$)/)
			return "int"
		return (isconst && t == "clockid_t" ? "const " : "") t
	}
	if (stars == 1 && t == "char") {
		# Some path arguments lack the const (mount, utime, sethostname).
		if (is_string_arg(n))
			return "const char*"
		return isconst ? "void*" : "char*"
	}
	base = (isconst ? "const " : "") t
	while (stars-- > 0)
		base = base "*"
	return base
}

BEGIN {
	split("int long short char void unsigned signed size_t loff_t off_t pid_t uid_t gid_t u32 u64 __u32 __u64 __s32 umode_t clockid_t timer_t key_t mqd_t qid_t rwf_t key_serial_t aio_context_t", BT, " ")
	for (i in BT) BASETYPE[BT[i]] = 1
	RENAME["newstat"] = "stat"; RENAME["newfstat"] = "fstat"; RENAME["newlstat"] = "lstat"
	RENAME["newuname"] = "uname"; RENAME["umount"] = "umount2"; RENAME["sendfile64"] = "sendfile"
}

FILENAME ~ /\/default$/ { for (i = 1; i <= NF; i++) DEFAULT[$i] = 1; next }
FILENAME ~ /\/ni$/ { NI[$1] = $2; next }
FILENAME ~ /\/newer$/ {
	split($0, F, "\t")
	NEWER_NAME[F[1]] = F[2]; NEWER_VER[F[2]] = F[3]; NEWER_SETS[F[2]] = F[4]; NEWER_ARGS[F[2]] = F[5]
	next
}
FILENAME ~ /\/tracee$/ {
	split($0, F, "\t")
	T_SETS[F[1]] = F[2]; T_ARGS[F[1]] = F[3]
	next
}
FILENAME ~ /\/protos$/ {
	split($0, F, "\t")
	NPROTO[F[1]]++
	PROTO[F[1]] = F[2]
	next
}
FILENAME ~ /\/table$/ {
	nr = $1 + 0; fn = $2
	sub(/^sys_/, "", fn); sub(/^__x64_sys_/, "", fn)
	TAB[nr] = fn
	if (nr > maxnr) maxnr = nr
	next
}

# Emit one row.  args: "type name; ..." (Tracee) and/or kernel declarations.
function emit(nr, ename, kfn, note,    sets, n, i, A, K, nk, out, t, nm, dflt, col, a) {
	n = 0
	if (ename in T_ARGS) {
		sets = T_SETS[ename]
		if (T_ARGS[ename] != "")
			n = split(T_ARGS[ename], A, /; */)
		for (i = 1; i <= n; i++) {
			t = trim(A[i])
			match(t, /[A-Za-z_][A-Za-z0-9_]*$/)
			ATYPE[i] = trim(substr(t, 1, RSTART - 1))
			ANAME[i] = substr(t, RSTART)
		}
		# The kernel grew arguments Tracee does not list: add them.
		if (kfn in PROTO && NPROTO[kfn] == 1) {
			nk = split_args(PROTO[kfn], K)
			if (nk > n) {
				for (i = n + 1; i <= nk; i++) {
					nm = decl_name(K[i])
					ATYPE[i] = ctype(K[i], nm)
					ANAME[i] = (nm == "") ? "arg" i : tracee_name(nm)
				}
				n = nk
			} else if (nk < n) {
				warn(sprintf("%s: Tracee lists %d arguments, the prototype of sys_%s has %d", ename, n, kfn, nk))
			}
		}
	} else if (kfn in PROTO || ename in NEWER_ARGS) {
		sets = (ename in NEWER_SETS) ? NEWER_SETS[ename] : ""
		if (!(ename in NEWER_SETS))
			warn(sprintf("%s: no Tracee line and no sets: only in \"syscalls\"", ename))
		nk = split_args((kfn in PROTO) ? PROTO[kfn] : NEWER_ARGS[ename], K)
		for (i = 1; i <= nk; i++) {
			nm = decl_name(K[i])
			ATYPE[i] = ctype(K[i], nm)
			ANAME[i] = (nm == "") ? "arg" i : tracee_name(nm)
		}
		n = nk
	} else {
		warn(sprintf("%s (%d): neither a Tracee line nor a prototype: no arguments", ename, nr))
		sets = ""
	}
	EMITTED[ename] = 1
	dflt = (ename in DEFAULT) ? " default" : ""
	if (ename in DEFAULT) SEEN_DEFAULT[ename] = 1
	if (note != "")
		printf "/* %s */\n", note
	out = sprintf("TR_EVENT(%d, %s, \"syscalls%s%s\", TR_SYSCALL_HOOK", nr, ename, dflt, sets == "" ? "" : " " sets)
	# Arguments on continuation lines of at most 96 columns (tab = 8).
	col = 0
	for (i = 1; i <= n; i++) {
		a = sprintf("TR_A(\"%s\", %s)", ATYPE[i], ANAME[i])
		if (i == 1 || col + 2 + length(a) + 1 > 96) {
			out = out ",\n\t " a
			col = 9 + length(a)
		} else {
			out = out ", " a
			col += 2 + length(a)
		}
	}
	printf "%s)\n", out
	nrows++
}

END {
	printf "/*\n"
	printf " * events-syscalls.def - one TR_EVENT row per x86_64 syscall (format: see\n"
	printf " * events.def, which includes this file).  GENERATED: do not edit by hand.\n"
	printf " *\n"
	printf " *   src/events/gen-syscall-table.sh BUILD_DIR [SOURCE_DIR] > src/events/events-syscalls.def\n"
	printf " *\n"
	printf " * from the headers of Linux %s:\n", release
	printf " *   %s\n", tablefile
	printf " *   %s\n", protofile
	printf " * Names, argument names and type labels follow Tracee; syscalls newer than\n"
	printf " * those headers come from the table in the script, each marked with the\n"
	printf " * Linux version that added it.\n"
	printf " */\n\n"
	# Syscall events are numbered below TR_MAX_SYSCALL (bpf/tracee_abi.h).
	for (nr in TAB)
		if (nr + 0 >= 512)
			warn(sprintf("syscall %d (%s) is past 511, the last syscall event id", nr, TAB[nr]))
	for (nr = 0; nr < 512; nr++) {
		if (nr in TAB) {
			kfn = TAB[nr]
			if (kfn == "ni_syscall") {
				if (nr in NI)
					emit(nr, NI[nr], "", "not implemented on x86_64 (sys_ni_syscall)")
				else if (nr in NEWER_NAME)
					emit(nr, NEWER_NAME[nr], "", "added in Linux " NEWER_VER[NEWER_NAME[nr]] ", after these headers")
				continue
			}
			ename = (kfn in RENAME) ? RENAME[kfn] : kfn
			emit(nr, ename, kfn, "")
		} else if (nr in NI) {
			# Older tables leave the sys_ni_syscall slots out.
			emit(nr, NI[nr], "", "not implemented on x86_64 (sys_ni_syscall)")
		} else if (nr in NEWER_NAME) {
			ename = NEWER_NAME[nr]
			emit(nr, ename, "", "added in Linux " NEWER_VER[ename] ", after these headers")
		}
	}
	for (t in T_ARGS)
		if (!(t in EMITTED))
			warn(sprintf("%s: a Tracee syscall these headers lack (older kernel? add it to the NEWER table)", t))
	for (d in DEFAULT)
		if (!(d in SEEN_DEFAULT))
			warn(sprintf("%s: in the default set but not a syscall of this table", d))
	printf "gen-syscall-table: %d rows, %d warnings\n", nrows, nwarn > "/dev/stderr"
}
' "$tmp/default" "$tmp/ni" "$tmp/newer" "$tmp/tracee" "$tmp/protos" "$tmp/table"
