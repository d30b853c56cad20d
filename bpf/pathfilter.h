/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pathfilter.h - part of tracee.bpf.c: the pathname prefilter.
 *
 * Runs the automaton user space compiled from the path globs of the rules
 * (src/filter/pathdfa.c, the path_dfa map) over a walked path, so that
 * security_file_open events no rule can want are dropped in the kernel.
 */

/*
 * The pathname prefilter: the automaton of path_dfa over the walked path
 * (path_buf), in chunks of TR_PF_CHUNK bytes.  Each chunk is a global
 * function, verified once: a single loop over up to TR_PATH_MAX bytes
 * would leave the verifier with thousands of pending branches (5.10 stops
 * at 8192), and most paths end within the first chunk or two anyway.
 */
#define TR_PF_CHUNK		64

/*
 * Run the automaton from row s over the path's bytes [at, at + TR_PF_CHUNK),
 * or up to the path's end.  Returns the row reached, TR_PF_DEAD or
 * TR_PF_ALL as soon as one of them is.
 */
TR_NOINLINE int tr_g_pf_chunk(__u32 s, __u32 at)
{
	struct tr_pathbuf *pb = tr_pathbuf();
	struct tr_pf_state *st;
	__u32 i;
	__u8 c;

	if (!pb)
		return TR_PF_ALL;	/* cannot tell: keep the event */
	for (i = 0; i < TR_PF_CHUNK; i++) {
		__u32 k = at + i;

		/*
		 * k hidden from the compiler: llc (the kernel-specific build)
		 * would otherwise end the loop on a trip count computed from
		 * at, which 5.10's verifier cannot bound.
		 */
		__asm__ __volatile__("" : "+r"(k));
		if (k >= TR_PATH_MAX)
			break;
		st = bpf_map_lookup_elem(&path_dfa, &s);
		if (!st)
			return TR_PF_ALL;	/* a row the loader did not fill: keep */
		c = tr_cfg.fopen_class[(__u8)pb->buf[TR_MASK(k, TR_PATH_MAX - 1)]];
		s = st->next[c & (TR_PF_NCLASS - 1)];
		if (s <= TR_PF_ALL)
			break;
	}
	return s;
}

/*
 * Does the path the last tr_walk_path() walked (path_buf) match one of the
 * prefilter's globs?  May say yes for paths no glob matches (the automaton
 * is a superset when src/filter/pathdfa.c had to merge byte classes or simplify
 * globs to fit), never no for a path one matches.
 */
TR_NOINLINE int tr_g_path_wanted(void)
{
	struct tr_pathbuf *pb = tr_pathbuf();
	struct tr_pf_state *st;
	__u32 s = TR_PF_START, at, i;

	if (!pb)
		return 1;
	at = pb->pos;
	if (at >= TR_PATH_MAX)
		return 0;	/* no path: nothing a glob could match */
	for (i = 0; i < TR_PATH_MAX / TR_PF_CHUNK; i++) {
		__asm__ __volatile__("" : "+r"(at));	/* as in tr_g_pf_chunk() */
		if (at >= TR_PATH_MAX)
			break;
		s = tr_g_pf_chunk(s, at);
		if (s <= TR_PF_ALL)
			return s;
		at += TR_PF_CHUNK;
	}
	st = bpf_map_lookup_elem(&path_dfa, &s);
	return !st || st->next[0] == TR_PF_ALL;
}

/* The walked path passes the prefilter (or there is none). */
static __always_inline bool tr_path_wanted(void)
{
	if (!tr_cfg.fopen_nstates || tr_g_path_wanted())
		return true;
	tr_stat_inc(TR_STAT_FILTERED);
	return false;
}
