-- TRC-2004 kube_config_read: a kubeconfig (~/.kube/config, the admin and
-- component configs of /etc/kubernetes) is read by a program other than the
-- Kubernetes tools.

local F = require "filerules"

F.read_signature({
	id = "TRC-2004",
	name = "kube_config_read",
	title = "Kubernetes credentials read",
	version = "1",
	severity = 2,
	description = "A kubeconfig file (~/.kube/config, /etc/kubernetes/admin.conf, " ..
		"kubelet.conf, controller-manager.conf, scheduler.conf) was read by a program " ..
		"that is not a Kubernetes tool. These files carry the certificates or tokens " ..
		"that authenticate to the cluster's API server. The path is the kernel-resolved " ..
		"one: symlinks and '..' paths report the real file.",
	tags = { "linux", "container", "file", "credentials", "kubernetes" },
	mitre = { category = "credential-access", technique = "Credentials In Files",
		  id = "T1552.001" },
	origin = "any",
	paths = { "*/.kube/config", "/etc/kubernetes/*.conf" },
}, "kube", "kube_config_readers", {
	"kubectl", "kubelet", "kubeadm", "kube-apiserver", "kube-controller", "kube-scheduler",
	"kube-proxy", "helm", "k9s", "kubectx", "kubens", "kustomize", "minikube", "kind",
	"k3s", "k3s-server", "k3s-agent", "rke2", "crictl", "flux", "argocd", "stern",
})
