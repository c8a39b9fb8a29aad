{{- define "serval.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "serval.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/part-of: serval
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{/* Selector labels of one component: (dict "root" $ "component" "operator") */}}
{{- define "serval.selector" -}}
app.kubernetes.io/name: serval-{{ .component }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* An image of the chart: global.imageRegistry (a parent chart's, or a colocated registry's)
     overrides image.registry for every image, the predictor's included. */}}
{{- define "serval.image" -}}
{{- $tag := .image.tag | default .root.Values.image.tag -}}
{{- $registry := dig "imageRegistry" "" (.root.Values.global | default dict) | default .root.Values.image.registry -}}
{{- printf "%s/%s:%s" $registry .image.repository $tag -}}
{{- end -}}

{{/* The names of imagePullSecrets, comma-separated (for the operator, which puts them on the
     predictor pods it creates). */}}
{{- define "serval.imagePullSecretNames" -}}
{{- $names := list -}}
{{- range .Values.imagePullSecrets -}}
{{- $names = append $names .name -}}
{{- end -}}
{{- join "," $names -}}
{{- end -}}

{{- define "serval.operatorAddress" -}}
{{ include "serval.fullname" . }}-operator:{{ .Values.operator.service.grpcPort }}
{{- end -}}

{{/* The Secret holding the platform token. */}}
{{- define "serval.platformTokenSecret" -}}
{{- .Values.platformToken.existingSecret | default (printf "%s-platform-token" (include "serval.fullname" .)) -}}
{{- end -}}

{{/* The Secret holding the management API's admin and read-only tokens. */}}
{{- define "serval.managementTokenSecret" -}}
{{- .Values.managementToken.existingSecret | default (printf "%s-management-token" (include "serval.fullname" .)) -}}
{{- end -}}

{{/* The Secret holding the router's API keys, or "" when there are none. */}}
{{- define "serval.apiKeysSecret" -}}
{{- if .Values.router.apiKeys.existingSecret -}}
{{- .Values.router.apiKeys.existingSecret -}}
{{- else if .Values.router.apiKeys.values -}}
{{- printf "%s-router-api-keys" (include "serval.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* Env var and volume mount of the platform token, for every platform container. */}}
{{- define "serval.platformTokenEnv" -}}
- name: SERVAL_PLATFORM_TOKEN_FILE
  value: /etc/serval/platform/token
{{- end -}}
{{- define "serval.platformTokenMount" -}}
- {name: platform-token, mountPath: /etc/serval/platform, readOnly: true}
{{- end -}}
{{- define "serval.platformTokenVolume" -}}
- name: platform-token
  secret:
    secretName: {{ include "serval.platformTokenSecret" . }}
    defaultMode: 0400
    items:
      - {key: {{ .Values.platformToken.key }}, path: token}
{{- end -}}

{{/* Annotations of an internal load balancer on AWS, GKE and AKS, merged into $annotations. */}}
{{- define "serval.lbAnnotations" -}}
{{- $annotations := deepCopy .service.annotations -}}
{{- if .service.internal -}}
{{- $_ := set $annotations "service.beta.kubernetes.io/aws-load-balancer-internal" "true" -}}
{{- $_ := set $annotations "service.beta.kubernetes.io/aws-load-balancer-scheme" "internal" -}}
{{- $_ := set $annotations "networking.gke.io/load-balancer-type" "Internal" -}}
{{- $_ := set $annotations "service.beta.kubernetes.io/azure-load-balancer-internal" "true" -}}
{{- end -}}
{{- with $annotations -}}
{{- toYaml . -}}
{{- end -}}
{{- end -}}

{{/* A pod selector matching this release's operator, router and autoscaler pods. */}}
{{- define "serval.platformPods" -}}
matchLabels:
  app.kubernetes.io/instance: {{ .Release.Name }}
matchExpressions:
  - key: app.kubernetes.io/name
    operator: In
    values: [serval-operator, serval-router, serval-autoscaler]
{{- end -}}
