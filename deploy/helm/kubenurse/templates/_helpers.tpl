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

{{- /* The name label: nameOverride, else the chart's name, as the Go chart (its DaemonSet selector holds it) */}}
{{- define "kubenurse.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- /*
The Go chart's selector labels for the same values: a DaemonSet's selector cannot change, so any other would
make helm upgrade from its release fail.
*/}}
{{- define "kubenurse.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kubenurse.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "kubenurse.labels" -}}
{{ include "kubenurse.selectorLabels" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{- /*
KUBENURSE_NEIGHBOUR_FILTER: the default (app.kubernetes.io/name=kubenurse) follows the name label, so that the pods
still find each other under nameOverride (with the Go chart they do not); any other filter is the operator's.
*/}}
{{- define "kubenurse.neighbourFilter" -}}
{{- if eq .Values.neighbour_filter "app.kubernetes.io/name=kubenurse" -}}
app.kubernetes.io/name={{ include "kubenurse.name" . }}
{{- else -}}
{{- .Values.neighbour_filter -}}
{{- end -}}
{{- end -}}

{{- /*
The image. The Go chart's values name the Go image (postfinance/kubenurse, from any registry): it would run the
Go binary with this chart's environment, or with the Go chart's tags not exist at all, so it is refused.
*/}}
{{- define "kubenurse.image" -}}
{{- with .Values.daemonset.image -}}
{{- if regexMatch "(^|/)postfinance/kubenurse$" .repository -}}
{{- fail (printf "daemonset.image.repository is %s, the Go kubenurse's image: set daemonset.image.repository to ghcr.io/kubenurse-java/kubenurse (and daemonset.image.tag to one of its tags, or leave it unset for %s)" .repository $.Chart.AppVersion) -}}
{{- end -}}
{{- if .digest -}}
{{ .repository }}@{{ .digest }}
{{- else -}}
{{ .repository }}:{{ .tag | default $.Chart.AppVersion }}
{{- end -}}
{{- end -}}
{{- end -}}
