{{/* Labels shared by every object of the release. */}}
{{- define "lead-sla.labels" -}}
app.kubernetes.io/name: lead-sla
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The image of every container. */}}
{{- define "lead-sla.image" -}}
{{ printf "%s:%s" .Values.image.repository .Values.image.tag }}
{{- end -}}

{{/* The Secret the chart reads passwords from; the chart never creates one. */}}
{{- define "lead-sla.secret" -}}
{{ required "set existingSecret to the name of a Secret holding the database passwords (values.yaml lists its keys; docs/operations.md \"Install with Helm\")" .Values.existingSecret }}
{{- end -}}

{{/* postgres://host:port/db part of a service's URLs. */}}
{{- define "lead-sla.dbHost" -}}
{{ printf "%s:%v/%s" (required "set database.host to your Postgres host" .Values.database.host) .Values.database.port .Values.database.name }}
{{- end -}}

{{/*
Environment of a service container (serve or migrate). Passwords come from the Secret and are
substituted into the URLs by Kubernetes ($(VAR) refers to an earlier variable of the same container).
Arguments: dict "root" $ "name" <service>.
*/}}
{{- define "lead-sla.serviceEnv" -}}
{{- $root := .root -}}
- name: SERVICE
  value: {{ .name | quote }}
- name: KAFKA_BROKERS
  value: {{ required "set kafka.brokers (host:port[,host:port…])" $root.Values.kafka.brokers | quote }}
- name: LEAD_SLA_DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "lead-sla.secret" $root }}
      key: {{ printf "%s_DB_PASSWORD" (upper .name) }}
- name: DATABASE_URL
  value: {{ printf "postgres://lead_sla_%s:$(LEAD_SLA_DB_PASSWORD)@%s" .name (include "lead-sla.dbHost" $root) | quote }}
{{- range $key := concat $root.Values.optionalSecretEnv.all (get $root.Values.optionalSecretEnv .name | default list) }}
- name: {{ $key }}
  valueFrom:
    secretKeyRef:
      name: {{ include "lead-sla.secret" $root }}
      key: {{ $key }}
      optional: true
{{- end }}
{{- end -}}
