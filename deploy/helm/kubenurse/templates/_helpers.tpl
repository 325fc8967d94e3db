{{- define "kubenurse.serviceAccountName" -}}
{{- default .Release.Name .Values.serviceAccount.name -}}
{{- end -}}

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
