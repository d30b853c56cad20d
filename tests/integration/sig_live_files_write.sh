#!/bin/sh
# sig_live_files_write.sh - the write, persistence and tampering rules
# (TRC-2012..2028), for real (root, real eBPF).
#
# One tracee with the built-in signatures; rule-actions-files performs each
# behaviour under its own command name next to a benign twin (a package
# manager's or the owning tool's name, a read, an append).  System
# directories are never changed: each writing process has a tmpfs over the
# directory in its own private mount namespace.  A policy (-s) lowers the
# bulk-deletion threshold to 50 in 10 s through its shared list.
# TRC-2028 mass_file_deletion is opt-in (enabled = false): the policy
# switches it on.

. "$top_srcdir/tests/integration/sig_live_files_lib.sh"

cat >"$POLICY" <<'LUA'
tracee.list_replace("mass_file_deletion_threshold", { "50/10" })
tracee.enable("TRC-2028")
LUA
mkdir "$D/many" "$D/few"
: >"$D/shredme"
: >"$D/rmme"

sl_start -s "$POLICY"

# TRC-2012, TRC-2013
raf w2012-hit --tmpfs /usr/local/bin write /usr/local/bin/ls trojan
raf dpkg --tmpfs /usr/local/bin write /usr/local/bin/ls new
raf w2012-read open /usr/bin/env r
raf w2013-hit --tmpfs /usr/local/sbin --mkfile /usr/local/sbin/new \
	rename /usr/local/sbin/new /usr/local/sbin/sshd
raf w2013-rel --tmpfs /usr/local/sbin --mkfile /usr/local/sbin/new chdir /usr/local/sbin \
	rename new sshd
raf apt-get --tmpfs /usr/local/sbin --mkfile /usr/local/sbin/new \
	rename /usr/local/sbin/new /usr/local/sbin/sshd
raf w2013-twin --mkfile "$D/a" rename "$D/a" "$D/b"
# TRC-2014, TRC-2015
raf w2014-hit --tmpfs /etc --mkfile /etc/passwd open /etc/passwd a
raf w2014-ren --tmpfs /etc --mkfile /etc/x rename /etc/x /etc/shadow
raf useradd --tmpfs /etc --mkfile /etc/passwd open /etc/passwd a
raf w2015-hit --tmpfs /etc --mkfile /etc/pam.d/sshd open /etc/pam.d/sshd w
raf w2015-ssh --tmpfs /etc --mkfile /etc/ssh/sshd_config open /etc/ssh/sshd_config a
raf w2015-twin --tmpfs /etc --mkfile /etc/pam.d/sshd open /etc/pam.d/sshd r
# TRC-2016: a regular file in /dev; the twins write a device and /dev/shm
raf w2016-hit --tmpfs /dev write /dev/sdz9 payload
raf w2016-null write /dev/null data
raf w2016-shm --tmpfs /dev/shm write /dev/shm/data data
# TRC-2017
raf w2017-hit --tmpfs /var/lib/dpkg --mkfile /var/lib/dpkg/status open /var/lib/dpkg/status w
raf dpkg --tmpfs /var/lib/dpkg --mkfile /var/lib/dpkg/status open /var/lib/dpkg/status w
raf w2017-lock --tmpfs /var/lib/dpkg open /var/lib/dpkg/lock c
# TRC-2018
raf w2018-file write "$D/.cache-x" data
raf w2018-dir mkdir "$D/.stash"
raf w2018-twin write "$D/visible" data mkdir "$D/.X11-unix" write "$D/.out.pid.1a2b3c4d5e" 1
# TRC-2019
raf w2019-hit --tmpfs /root --mkfile /root/.ssh/authorized_keys open /root/.ssh/authorized_keys a
raf w2019-home --tmpfs /home --mkfile /home/ann/.ssh/authorized_keys2 \
	open /home/ann/.ssh/authorized_keys2 w
raf w2019-twin --tmpfs /root --mkfile /root/.ssh/authorized_keys open /root/.ssh/authorized_keys r
raf cloud-init --tmpfs /root --mkfile /root/.ssh/authorized_keys \
	open /root/.ssh/authorized_keys a
# TRC-2020
raf w2020-hit --tmpfs /home --mkfile /home/ann/.bashrc open /home/ann/.bashrc a
raf w2020-etc --tmpfs /etc --mkfile /etc/profile.d/x.sh open /etc/profile.d/x.sh w
raf w2020-twin --tmpfs /home --mkfile /home/ann/.bashrc open /home/ann/.bashrc r
raf useradd --tmpfs /home --mkfile /home/ann/.bashrc open /home/ann/.bashrc w
# TRC-2021
raf w2021-hit --tmpfs /etc --mkfile /etc/systemd/system/evil.timer \
	open /etc/systemd/system/evil.timer w
raf w2021-user --tmpfs /home --mkfile /home/ann/.config/systemd/user/x.service \
	open /home/ann/.config/systemd/user/x.service w
raf w2021-twin --tmpfs /etc --mkfile /etc/systemd/system/evil.timer \
	open /etc/systemd/system/evil.timer r
raf systemctl --tmpfs /etc --mkfile /etc/systemd/system/x.service \
	open /etc/systemd/system/x.service w
# TRC-2022
raf w2022-hit --tmpfs /var/spool --mkfile /var/spool/cron/crontabs/root \
	open /var/spool/cron/crontabs/root a
raf w2022-at --tmpfs /var/spool --mkfile /var/spool/at/a0001 open /var/spool/at/a0001 w
raf crontab --tmpfs /var/spool --mkfile /var/spool/cron/crontabs/root \
	open /var/spool/cron/crontabs/root w
# TRC-2023
raf w2023-hit --tmpfs /var/log --mkfile /var/log/auth.log open /var/log/auth.log t
raf w2023-tr --tmpfs /var/log --mkfile /var/log/auth.log truncate /var/log/auth.log
raf w2023-ft --tmpfs /var/log --mkfile /var/log/auth.log ftruncate /var/log/auth.log
raf w2023-app --tmpfs /var/log --mkfile /var/log/auth.log open /var/log/auth.log a
raf logrotate --tmpfs /var/log --mkfile /var/log/auth.log open /var/log/auth.log t
# TRC-2024
raf w2024-hit --tmpfs /var/log --mkfile /var/log/syslog unlink /var/log/syslog
raf w2024-rel --tmpfs /var/log --mkfile /var/log/syslog chdir /var/log unlink syslog
raf w2024-twin unlink "$D/rmme"
raf logrotate --tmpfs /var/log --mkfile /var/log/syslog.1 unlink /var/log/syslog.1
# TRC-2025
raf w2025-rm --tmpfs /root --mkfile /root/.bash_history unlink /root/.bash_history
raf w2025-tr --tmpfs /root --mkfile /root/.zsh_history truncate /root/.zsh_history
raf w2025-ln --tmpfs /root symlink /dev/null /root/.bash_history
raf w2025-app --tmpfs /root --mkfile /root/.bash_history open /root/.bash_history a
raf bash --tmpfs /root --mkfile /root/.bash_history open /root/.bash_history t
# TRC-2026
run_pid P2026 env -i HISTFILE=/dev/null /bin/true
run_pid P2026T env -i HISTFILE=/root/.bash_history /bin/true
# TRC-2027
P2027=
command -v shred >/dev/null 2>&1 && run_pid P2027 shred -u "$D/shredme"
run_pid P2027T rm -f "$D/rmme2"
# TRC-2028
raf w2028-hit unlinkmany "$D/many" 60
raf w2028-twin unlinkmany "$D/few" 10

sl_stop

fires TRC-2012 system_binary_write w2012-hit "/usr/local/bin/ls written"
quiet TRC-2012 system_binary_write dpkg "/usr/local/bin/ls written by dpkg"
quiet TRC-2012 system_binary_write w2012-read "/usr/bin/env read"
fires TRC-2013 system_binary_rename w2013-hit "renamed onto /usr/local/sbin/sshd"
fires TRC-2013 system_binary_rename w2013-rel "renamed onto sshd from /usr/local/sbin (relative)"
quiet TRC-2013 system_binary_rename apt-get "renamed by apt-get"
quiet TRC-2013 system_binary_rename w2013-twin "renamed in a scratch directory"
fires TRC-2014 account_file_write w2014-hit "/etc/passwd appended"
fires TRC-2014 account_file_write w2014-ren "renamed onto /etc/shadow"
quiet TRC-2014 account_file_write useradd "/etc/passwd appended by useradd"
fires TRC-2015 auth_config_write w2015-hit "/etc/pam.d/sshd written"
fires TRC-2015 auth_config_write w2015-ssh "/etc/ssh/sshd_config appended"
quiet TRC-2015 auth_config_write w2015-twin "/etc/pam.d/sshd read"
fires TRC-2016 dev_regular_file w2016-hit "regular file written in /dev"
quiet TRC-2016 dev_regular_file w2016-null "/dev/null written"
quiet TRC-2016 dev_regular_file w2016-shm "/dev/shm file written"
fires TRC-2017 package_db_write w2017-hit "/var/lib/dpkg/status written"
quiet TRC-2017 package_db_write dpkg "/var/lib/dpkg/status written by dpkg"
quiet TRC-2017 package_db_write w2017-lock "the dpkg lock taken"
fires TRC-2018 hidden_file_unusual_place w2018-file "dot file written in /tmp"
fires TRC-2018 hidden_file_unusual_place w2018-dir "dot directory made in /tmp"
quiet TRC-2018 hidden_file_unusual_place w2018-twin "visible file, .X11-unix, .NAME.RANDOM"
fires TRC-2019 authorized_keys_mod w2019-hit "/root/.ssh/authorized_keys appended"
fires TRC-2019 authorized_keys_mod w2019-home "a user's authorized_keys2 written"
quiet TRC-2019 authorized_keys_mod w2019-twin "authorized_keys read"
quiet TRC-2019 authorized_keys_mod cloud-init "authorized_keys written by cloud-init"
fires TRC-2020 shell_config_mod w2020-hit "~/.bashrc appended"
fires TRC-2020 shell_config_mod w2020-etc "/etc/profile.d/ file written"
quiet TRC-2020 shell_config_mod w2020-twin "~/.bashrc read"
quiet TRC-2020 shell_config_mod useradd "~/.bashrc written by useradd"
fires TRC-2021 systemd_unit_mod w2021-hit "/etc/systemd/system timer written"
fires TRC-2021 systemd_unit_mod w2021-user "a user unit written"
quiet TRC-2021 systemd_unit_mod w2021-twin "unit read"
quiet TRC-2021 systemd_unit_mod systemctl "unit written by systemctl"
fires TRC-2022 cron_spool_write w2022-hit "user crontab written directly"
fires TRC-2022 cron_spool_write w2022-at "at spool written directly"
quiet TRC-2022 cron_spool_write crontab "user crontab written by crontab"
fires TRC-2023 log_truncation w2023-hit "auth.log opened with O_TRUNC"
fires TRC-2023 log_truncation w2023-tr "auth.log truncate(2)d"
fires TRC-2023 log_truncation w2023-ft "auth.log opened, ftruncate(2)d"
quiet TRC-2023 log_truncation w2023-app "auth.log appended"
quiet TRC-2023 log_truncation logrotate "auth.log truncated by logrotate"
fires TRC-2024 log_removal w2024-hit "/var/log/syslog deleted"
fires TRC-2024 log_removal w2024-rel "syslog deleted from /var/log (relative)"
quiet TRC-2024 log_removal w2024-twin "scratch file deleted"
quiet TRC-2024 log_removal logrotate "rotated log deleted by logrotate"
fires TRC-2025 shell_history_tampering w2025-rm ".bash_history deleted"
fires TRC-2025 shell_history_tampering w2025-tr ".zsh_history truncate(2)d"
fires TRC-2025 shell_history_tampering w2025-ln ".bash_history made a link to /dev/null"
quiet TRC-2025 shell_history_tampering w2025-app ".bash_history appended"
quiet TRC-2025 shell_history_tampering bash ".bash_history truncated by bash"
fires TRC-2026 history_logging_disabled "pid:$P2026" "started with HISTFILE=/dev/null"
quiet TRC-2026 history_logging_disabled "pid:$P2026T" "started with HISTFILE set to a file"
if [ -n "$P2027" ]; then
	fires TRC-2027 secure_delete_tool "pid:$P2027" "shred -u run"
else
	ok 1 "shred (coreutils) is installed"
fi
quiet TRC-2027 secure_delete_tool "pid:$P2027T" "rm run"
fires TRC-2028 mass_file_deletion w2028-hit "60 files deleted at once"
quiet TRC-2028 mass_file_deletion w2028-twin "10 files deleted"

done_testing
