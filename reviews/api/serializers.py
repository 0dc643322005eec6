from rest_framework import serializers

from shop.inputs import IdSerializerField

from ..models import MAX_BODY_LENGTH, RATINGS
from ..selectors import REVIEW_SORTS
from ..services import MAX_PHOTOS


class DistributionSerializer(serializers.Serializer):
    rating = serializers.IntegerField(help_text="Stars, 5 to 1.")
    count = serializers.IntegerField()
    percent = serializers.IntegerField(help_text="Share of the reviews, rounded.")


class RatingSerializer(serializers.Serializer):
    average = serializers.FloatField(source="average_stars", help_text="Stars, one decimal; 0 before a review.")
    count = serializers.IntegerField()
    distribution = DistributionSerializer(many=True)


class ReviewPhotoSerializer(serializers.Serializer):
    url = serializers.SerializerMethodField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()

    def get_url(self, photo) -> str:
        return self.context["request"].build_absolute_uri(photo.image.url)


class ReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rating = serializers.IntegerField()
    body = serializers.CharField()
    author = serializers.SerializerMethodField()
    option = serializers.CharField(source="order_line.option_label")
    photos = ReviewPhotoSerializer(many=True, source="photos.all")
    created_at = serializers.DateTimeField()

    def get_author(self, review) -> str:
        """The first character of the author's name, the rest masked, as Korean shops show it."""
        return (review.user.name[:1] or "*") + "**"


class ReviewPageSerializer(serializers.Serializer):
    rating = RatingSerializer()
    results = ReviewSerializer(many=True)
    next = serializers.CharField(allow_null=True, help_text="Pass as ?after= for the next page; null at the end.")


class ReviewListQuerySerializer(serializers.Serializer):
    sort = serializers.ChoiceField(choices=list(REVIEW_SORTS), default="newest")
    photos = serializers.BooleanField(default=False, help_text="Only reviews with photos.")
    after = serializers.CharField(required=False, default="", allow_blank=True)


class ReviewCreateSerializer(serializers.Serializer):
    order_line_id = IdSerializerField(help_text="A delivered line of one of your orders, not reviewed yet.")
    rating = serializers.ChoiceField(choices=list(RATINGS))
    body = serializers.CharField(max_length=MAX_BODY_LENGTH)
    photos = serializers.ListField(
        child=serializers.ImageField(), required=False, default=list, max_length=MAX_PHOTOS,
        help_text="Up to 5 JPEG, PNG or WebP files (multipart).",
    )  # fmt: skip
