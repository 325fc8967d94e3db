{{- /*
Resource names as the Go chart names them: fullnameOverride, else the release name, plus "-kubenurse" (or
"-<nameOverride>") unless the release name already contains it; at most 63 characters (DNS label).
*/}}
{{- define "kubenurse.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- /* serviceAccount.create false: the pods run as serviceAccount.name, or "default", as in the Go chart */}}
{{- define "kubenurse.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "kubenurse.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- /*
app.kubernetes.io/name stays "kubenurse" whatever nameOverride says (the Go chart changes it): the default
neighbour_filter and the NetworkPolicy select the pods by it.
*/}}
{{- define "kubenurse.labels" -}}
app.kubernetes.io/name: kubenurse
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{- define "kubenurse.selectorLabels" -}}
app.kubernetes.io/name: kubenurse
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
