from rest_framework import serializers


class TenantSummarySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    country = serializers.CharField()


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField()
    role = serializers.CharField(allow_null=True)
    division = serializers.CharField(allow_blank=True)
    tenant = TenantSummarySerializer(allow_null=True)
