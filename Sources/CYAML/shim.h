#ifndef DNSR_YAML_SHIM_H
#define DNSR_YAML_SHIM_H
/* libyaml's event parser (YAML 1.1), used for kubeconfig files, manifests and API server JSON. */
#include <yaml.h>

#endif
