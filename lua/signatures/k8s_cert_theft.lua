-- TRC-1018 k8s_cert_theft: the Kubernetes PKI (/etc/kubernetes/pki/) is read
-- or moved by a process that is not a cluster component.

local pki = "/etc/kubernetes/pki/"
local legit = tracee.set{ "kube-apiserver", "kubelet", "kube-controller", "etcd" }

tracee.signature {
	id = "TRC-1018",
	name = "k8s_cert_theft",
	title = "K8s TLS certificate theft detected",
	version = "1",
	severity = 3,
	description = "Theft of Kubernetes TLS certificates was detected. TLS certificates " ..
		"are used to establish trust between systems, the Kubernetes certificate is used " ..
		"to enable secured communication between Kubernetes components, like the " ..
		"kubelet, scheduler, controller and API server. An adversary may steal a " ..
		"Kubernetes certificate on a compromised system to impersonate Kubernetes " ..
		"components within the cluster.",
	tags = { "linux", "container" },
	mitre = { category = "credential-access", technique = "Steal Application Access Token",
		  id = "T1528" },
	origin = "any",
	events = { "security_file_open", "security_inode_rename" },
	paths = { "/etc/kubernetes/pki/*" },

	on_event = function(e)
		if legit[e.processName] then return end
		local path
		if e.eventName == "security_file_open" then
			if not tracee.is_file_read(e.args.flags) then return end
			path = e.args.pathname
		else
			path = e.args.old_path
		end
		if tracee.starts_with(path, pki) then
			tracee.finding { data = { pathname = path } }
		end
	end,
}
