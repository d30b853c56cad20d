#!/bin/sh
# sig_live_files_read.sh - the credential rules (TRC-2001..2011), for real
# (root, real eBPF).
#
# One tracee with the built-in signatures; rule-actions-files reads each
# credential file for real under its own command name, next to a benign
# twin (a trusted program's name, a public key, one's own environ).
# /etc/shadow is read for real; other credential files exist only on a
# tmpfs over /root, /home or /etc in the reading process's private mount
# namespace.  A policy (-s) shortens the late-read age to 2 s, the way a
# user tunes the shared lists.

. "$top_srcdir/tests/integration/sig_live_files_lib.sh"

cat >"$POLICY" <<'LUA'
-- the test cannot wait ten minutes for a late read
tracee.list_replace("sensitive_file_reader_max_age", { "2" })
LUA
ln -s /etc/shadow "$D/shadow-link"

sl_start -s "$POLICY"

# TRC-2001: directly, through a symlink and a '..' path; a trusted reader
raf r2001-hit open /etc/shadow r
raf r2001-sym open "$D/shadow-link" r
raf r2001-dots open "$D/../../etc/./gshadow" r
raf unix_chkpwd open /etc/shadow r
raf r2001-passwd open /etc/passwd r
# TRC-2002
raf r2002-hit --tmpfs /home --mkfile /home/ann/.ssh/id_ed25519 open /home/ann/.ssh/id_ed25519 r
raf r2002-root --tmpfs /root --mkfile /root/.ssh/mykey open /root/.ssh/mykey r
raf r2002-host --tmpfs /etc --mkfile /etc/ssh/ssh_host_rsa_key open /etc/ssh/ssh_host_rsa_key r
raf ssh --tmpfs /home --mkfile /home/ann/.ssh/id_ed25519 open /home/ann/.ssh/id_ed25519 r
raf r2002-pub --tmpfs /home --mkfile /home/ann/.ssh/id_ed25519.pub \
	open /home/ann/.ssh/id_ed25519.pub r
# TRC-2003..2006
raf r2003-hit --tmpfs /root --mkfile /root/.aws/credentials open /root/.aws/credentials r
raf r2003-gcp --tmpfs /home --mkfile /home/ann/.config/gcloud/credentials.db \
	open /home/ann/.config/gcloud/credentials.db r
raf aws --tmpfs /root --mkfile /root/.aws/credentials open /root/.aws/credentials r
raf r2004-hit --tmpfs /home --mkfile /home/ann/.kube/config open /home/ann/.kube/config r
raf r2004-admin --tmpfs /etc --mkfile /etc/kubernetes/admin.conf \
	open /etc/kubernetes/admin.conf r
raf kubectl --tmpfs /home --mkfile /home/ann/.kube/config open /home/ann/.kube/config r
raf r2005-hit --tmpfs /root --mkfile /root/.docker/config.json open /root/.docker/config.json r
raf docker --tmpfs /root --mkfile /root/.docker/config.json open /root/.docker/config.json r
raf r2006-hit --tmpfs /home --mkfile /home/ann/.git-credentials open /home/ann/.git-credentials r
raf r2006-pgpass --tmpfs /root --mkfile /root/.pgpass open /root/.pgpass r
raf git --tmpfs /home --mkfile /home/ann/.git-credentials open /home/ann/.git-credentials r
# TRC-2007
# (the test shell's: pid 1 may be out of reach in a container)
raf r2007-hit open /proc/$$/environ r
raf r2007-self open /proc/self/environ r
# TRC-2008: a hard link (absolute, and relative after chdir), a symlink
raf r2008-hard --tmpfs /etc --mkfile /etc/shadow link /etc/shadow /etc/sh2 open /etc/sh2 r
raf r2008-rel --tmpfs /etc --mkfile /etc/shadow chdir /etc link shadow .s
raf r2008-sym symlink /etc/gshadow "$D/gs"
raf r2008-twin symlink /etc/hostname "$D/hn"
# TRC-2009: a trusted reader, late (3 s > 2 s) and early
raf_pid P2009 sshd sleep 3 open /etc/shadow r
raf_pid P2009T sshd open /etc/shadow r
# TRC-2010, TRC-2011
run_pid P2010 find /nonexistent -name id_rsa
run_pid P2010A find /nonexistent -path '*/.aws/*'
run_pid P2010T find /nonexistent -name '*.c'
run_pid P2011 grep -r 'BEGIN RSA PRIVATE KEY' /nonexistent
run_pid P2011T grep -q root /etc/hostname

sl_stop

fires TRC-2001 shadow_file_read r2001-hit "/etc/shadow read"
fires TRC-2001 shadow_file_read r2001-sym "/etc/shadow read through a symlink"
fires TRC-2001 shadow_file_read r2001-dots "/etc/gshadow read through a '..' path"
quiet TRC-2001 shadow_file_read unix_chkpwd "/etc/shadow read by unix_chkpwd"
quiet TRC-2001 shadow_file_read r2001-passwd "/etc/passwd read"
fires TRC-2002 ssh_key_read r2002-hit "a user's private key read"
fires TRC-2002 ssh_key_read r2002-root "a key of /root/.ssh read"
fires TRC-2002 ssh_key_read r2002-host "an SSH host key read"
quiet TRC-2002 ssh_key_read ssh "a private key read by ssh"
quiet TRC-2002 ssh_key_read r2002-pub "a public key read"
fires TRC-2003 cloud_credentials_read r2003-hit "~/.aws/credentials read"
fires TRC-2003 cloud_credentials_read r2003-gcp "gcloud credentials.db read"
quiet TRC-2003 cloud_credentials_read aws "~/.aws/credentials read by aws"
fires TRC-2004 kube_config_read r2004-hit "~/.kube/config read"
fires TRC-2004 kube_config_read r2004-admin "/etc/kubernetes/admin.conf read"
quiet TRC-2004 kube_config_read kubectl "~/.kube/config read by kubectl"
fires TRC-2005 registry_credentials_read r2005-hit "~/.docker/config.json read"
quiet TRC-2005 registry_credentials_read docker "~/.docker/config.json read by docker"
fires TRC-2006 dev_credentials_read r2006-hit "~/.git-credentials read"
fires TRC-2006 dev_credentials_read r2006-pgpass "~/.pgpass read"
quiet TRC-2006 dev_credentials_read git "~/.git-credentials read by git"
fires TRC-2007 proc_environ_read r2007-hit "another process's environ read"
quiet TRC-2007 proc_environ_read r2007-self "/proc/self/environ read"
fires TRC-2008 sensitive_file_link r2008-hard "hard link to /etc/shadow"
fires TRC-2008 sensitive_file_link r2008-rel "hard link to shadow from /etc (relative)"
fires TRC-2008 sensitive_file_link r2008-sym "symlink to /etc/gshadow"
quiet TRC-2008 sensitive_file_link r2008-twin "symlink to /etc/hostname"
quiet TRC-2001 shadow_file_read r2008-hard "a read through the hard link has its own name"
fires TRC-2009 sensitive_file_late_read "pid:$P2009" "sshd reads /etc/shadow 3 s after start"
quiet TRC-2009 sensitive_file_late_read "pid:$P2009T" "sshd reads /etc/shadow at once"
quiet TRC-2001 shadow_file_read "pid:$P2009" "sshd is a trusted reader"
fires TRC-2010 credential_file_search "pid:$P2010" "find -name id_rsa"
fires TRC-2010 credential_file_search "pid:$P2010A" "find -path '*/.aws/*'"
quiet TRC-2010 credential_file_search "pid:$P2010T" "find -name '*.c'"
fires TRC-2011 private_key_search "pid:$P2011" "grep -r 'BEGIN RSA PRIVATE KEY'"
quiet TRC-2011 private_key_search "pid:$P2011T" "grep -q root /etc/hostname"

done_testing
