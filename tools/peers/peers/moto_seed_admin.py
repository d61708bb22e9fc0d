"""Seeds the auth-enforced moto: an admin IAM user with an access key and an allow-all inline policy,
created while auth is still off, then turns auth on (POST /moto-api/reset-auth with 0) and proves
it: the admin key is accepted and an unknown key is refused. Prints the admin key as JSON on stdout.

Runs inside the harness venv, where boto3 is installed as moto's own dependency.
Usage: python moto_seed_admin.py http://127.0.0.1:PORT
"""
import json
import sys
import urllib.request

import boto3
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
region = "us-east-1"
ADMIN = "vaultlink-admin"
ALLOW_ALL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def client(service, key_id="bootstrap", secret="bootstrap"):
    return boto3.client(service, endpoint_url=endpoint, region_name=region,
                        aws_access_key_id=key_id, aws_secret_access_key=secret)


iam = client("iam")
iam.create_user(UserName=ADMIN)
iam.put_user_policy(UserName=ADMIN, PolicyName="allow-all", PolicyDocument=json.dumps(ALLOW_ALL))
key = iam.create_access_key(UserName=ADMIN)["AccessKey"]

# A form content type would make Flask consume the body as form data and moto would read "".
req = urllib.request.Request(f"{endpoint}/moto-api/reset-auth", data=b"0", method="POST",
                             headers={"Content-Type": "text/plain"})
with urllib.request.urlopen(req, timeout=10) as res:
    if res.status != 200:
        sys.exit(f"reset-auth answered HTTP {res.status}")

identity = client("sts", key["AccessKeyId"], key["SecretAccessKey"]).get_caller_identity()
try:
    client("secretsmanager", "AKIAVAULTLINKUNKNOWN", "wrong").list_secrets()
    sys.exit("auth is NOT enforced: an unknown access key was accepted")
except ClientError as error:
    refused_with = error.response["Error"]["Code"]

print(json.dumps({
    "accessKeyId": key["AccessKeyId"],
    "secretAccessKey": key["SecretAccessKey"],
    "arn": identity["Arn"],
    "refusedWith": refused_with,
}))
