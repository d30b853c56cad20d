-- TRC-2003 cloud_credentials_read: AWS, Google Cloud or Azure credential files
-- of a home directory are read by a program other than those clouds' tools.

local F = require "filerules"

F.read_signature({
	id = "TRC-2003",
	name = "cloud_credentials_read",
	title = "Cloud provider credentials read",
	version = "1",
	severity = 2,
	description = "A cloud provider credential file (~/.aws/credentials or config, the " ..
		"gcloud credential databases and application default credentials, the Azure " ..
		"CLI token caches) was read by a program that is not a cloud tool. Adversaries " ..
		"take these keys to reach the cloud account from elsewhere. The path is the " ..
		"kernel-resolved one: symlinks and '..' paths report the real file.",
	tags = { "linux", "container", "file", "credentials", "cloud" },
	mitre = { category = "credential-access", technique = "Credentials In Files",
		  id = "T1552.001" },
	origin = "any",
	paths = { "*/.aws/credentials", "*/.aws/config", "*/gcloud/credentials.db",
		  "*/gcloud/access_tokens.db", "*/gcloud/application_default_credentials.json",
		  "*/adc.json", "*/.azure/accessTokens.json",
		  "*/.azure/msal_token_cache.json", "*/.azure/azureProfile.json" },
}, "cloud", "cloud_credential_readers", {
	"aws", "aws_completer", "gcloud", "gsutil", "bq", "az", "terraform", "pulumi",
	"packer", "kubectl", "eksctl", "docker-credenti", "aws-iam-authent",
})
