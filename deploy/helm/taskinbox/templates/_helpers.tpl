{{- define "taskinbox.labels" -}}
app.kubernetes.io/name: taskinbox
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "taskinbox.secretName" -}}
{{- default (printf "%s-taskinbox" .Release.Name) .Values.existingSecret -}}
{{- end -}}

{{- define "taskinbox.image" -}}
{{ printf "%s:%s" .Values.image.repository .Values.image.tag }}
{{- end -}}

{{/* Env from the ConfigMap and the Secret, and the NATS creds: every taskinbox pod has them. */}}
{{- define "taskinbox.envFrom" -}}
envFrom:
  - configMapRef: { name: {{ .Release.Name }}-taskinbox }
  - secretRef: { name: {{ include "taskinbox.secretName" . }} }
{{- end -}}
