-- TRC-108 k8s_service_account_token: a container process other than the
-- usual cluster components reads its Kubernetes service account token.

local legit = tracee.set{ "flanneld", "kube-proxy", "etcd", "kube-apiserver", "coredns",
			  "kube-controller", "kubectl" }

tracee.signature {
	id = "TRC-108",
	name = "k8s_service_account_token",
	title = "K8s service account token file read",
	version = "1",
	severity = 0,
	description = "The Kubernetes service account token file was read on your container. " ..
		"This token is used to communicate with the Kubernetes API Server. Adversaries " ..
		"may try to communicate with the API Server to steal information and/or " ..
		"credentials, or even run more containers and laterally extend their grip on " ..
		"the systems.",
	tags = { "linux", "container" },
	mitre = { category = "credential-access", technique = "Exploitation for Credential Access",
		  id = "T1212" },
	origin = "container",
	events = { "security_file_open" },
	paths = { "*token" },

	on_event = function(e)
		if legit[e.processName] then return end
		local path = e.args.pathname
		if type(path) == "string" and tracee.is_file_read(e.args.flags) and
		   path:find("secrets/kubernetes%.io/serviceaccount/.*token$") then
			tracee.finding { data = { pathname = path } }
		end
	end,
}
