-- TRC-2005 registry_credentials_read: container registry credentials
-- (~/.docker/config.json, containers auth.json) are read by a program other
-- than a container engine.

local F = require "filerules"

F.read_signature({
	id = "TRC-2005",
	name = "registry_credentials_read",
	title = "Container registry credentials read",
	version = "1",
	severity = 2,
	description = "Container registry credentials (~/.docker/config.json, " ..
		"~/.config/containers/auth.json, /run/containers/*/auth.json) were read by a " ..
		"program that is not a container tool. They hold the registry logins, often " ..
		"base64 user:password pairs, which let an adversary pull private images or push " ..
		"poisoned ones. The path is the kernel-resolved one: symlinks and '..' paths " ..
		"report the real file.",
	tags = { "linux", "container", "file", "credentials" },
	mitre = { category = "credential-access", technique = "Credentials In Files",
		  id = "T1552.001" },
	origin = "any",
	paths = { "*/.docker/config.json", "*/containers/auth.json" },
}, "registry", "registry_credential_readers", {
	"docker", "dockerd", "docker-compose", "docker-buildx", "podman", "buildah", "skopeo",
	"containerd", "crictl", "kubelet", "nerdctl", "crane", "regctl", "oras", "helm",
	"docker-credenti",
})
