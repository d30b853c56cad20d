-- TRC-1017 kernel_module_loading: a kernel module was loaded.  Kernels
-- built without loadable modules have no module_load tracepoint: there it
-- cannot fire.

tracee.signature {
	id = "TRC-1017",
	name = "kernel_module_loading",
	title = "Kernel module loading detected",
	version = "1",
	severity = 2,
	description = "Loading of a kernel module was detected. Kernel modules are binaries " ..
		"meant to run in the kernel. Adversaries may try and load kernel modules in order " ..
		"to extend their functionality, bypass defenses or gain persistence.",
	tags = { "linux", "container" },
	mitre = { category = "persistence", technique = "Kernel Modules and Extensions",
		  id = "T1547.006" },
	origin = "any",
	events = { "module_load" },
	-- the module_load tracepoint exists only in kernels built with modules
	requires = { "loadable modules" },

	on_event = function(e)
		tracee.finding { data = { name = e.args.name } }
	end,
}
