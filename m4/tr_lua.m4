dnl TR_CHECK_LUA54: find Lua 5.4 through pkg-config under any of the names
dnl distributions use; sets LUA_CFLAGS, LUA_LIBS and tr_lua_pkg.
dnl
dnl Not autoconf-archive's ax_lua: its AX_PROG_LUA learns the version from a
dnl Lua interpreter, which tracee neither runs nor needs to build (Debian
dnl ships it apart, lua5.4), and AX_LUA_HEADERS/AX_LUA_LIBS then guess
dnl include and library paths instead of reading Debian's lua5.4.pc
dnl (multiarch paths, a sysroot's PKG_CONFIG_*); --with-lua-cmoddir=pkg-config
dnl also needs the .pc's INSTALL_CMOD.  pkg-config is the library's own answer.
AC_DEFUN([TR_CHECK_LUA54], [
	tr_lua_pkg=
	for tr_name in lua5.4 lua-5.4 lua54 lua; do
		AS_IF([$PKG_CONFIG --exists "$tr_name >= 5.4" 2>/dev/null && \
		       ! $PKG_CONFIG --exists "$tr_name >= 5.5" 2>/dev/null],
			[tr_lua_pkg=$tr_name; break])
	done
	AS_IF([test -z "$tr_lua_pkg"],
		[AC_MSG_ERROR([Lua 5.4 not found by pkg-config as lua5.4, lua-5.4, lua54 or lua (install liblua5.4-dev)])])
	PKG_CHECK_MODULES([LUA], [$tr_lua_pkg])
	AC_MSG_CHECKING([for Lua 5.4 pkg-config name])
	AC_MSG_RESULT([$tr_lua_pkg])
	tr_lua_save_CFLAGS=$CFLAGS
	CFLAGS="$CFLAGS $LUA_CFLAGS"
	AC_CHECK_HEADER([lauxlib.h], [],
		[AC_MSG_ERROR([Lua 5.4 headers not usable (install liblua5.4-dev)])])
	CFLAGS=$tr_lua_save_CFLAGS
])
