"""What a shopper types, understood: particles, spacing, one syllable, synonyms and typos (issue 21).

The analysis reads the catalogue's own token frequencies, so each test refreshes them after making products,
as the nightly task and ``search_rebuild`` do.
"""

import pytest
from django.urls import reverse

from catalog.models import SearchSynonym
from catalog.search import query
from catalog.search.analysis import analyse
from catalog.search.index import refresh_frequencies
from catalog.search.korean import edit_distance, initials, jamo
from catalog.search.query import Search, SearchFilters, product_search
from catalog.search.synonyms import synonyms_changed
from catalog.search.tokens import implied, word_parts
from tests.factories import CategoryFactory, IndexedProductFactory

pytestmark = pytest.mark.django_db


def names(page):
    return [product.name for product in page.products]


def catalogue(*product_names, description=""):
    for name in product_names:
        IndexedProductFactory(name=name, description=description)
    refresh_frequencies()


@pytest.mark.parametrize(
    "typed", ["가방을", "가방이", "가방은", "가방도", "가방만", "가방에서", "가방으로", "가방까지"]
)
def test_a_particle_after_a_query_word_is_stripped(typed):
    catalogue("한울 가방", "누리 여행가방", "다온 텐트")
    assert sorted(names(product_search(query=typed))) == ["누리 여행가방", "한울 가방"]


def test_a_stripped_query_word_still_ranks_whole_name_words_first():
    catalogue("누리 여행가방", "한울 가방")
    assert names(product_search(query="가방을")) == ["한울 가방", "누리 여행가방"]


@pytest.mark.parametrize(
    ("word", "other"),
    [
        ("사과", "사 은품"),
        ("포도", "포 세트"),
        ("상의", "상 하의"),
        ("고양이", "고양 시장"),
        ("부사사과", "부사사 은품"),
    ],
)
def test_a_word_that_merely_ends_in_a_particle_syllable_is_kept(word, other):
    catalogue(f"한울 {word}", f"누리 {word}", f"다온 {word}", f"새봄 {other}")
    assert analyse(word).words == (word,)
    assert f"새봄 {other}" not in names(product_search(query=word))


def test_a_particle_is_kept_while_the_catalogue_does_not_know_the_stem():
    catalogue("한울 텐트")
    assert analyse("가방을").words == ("가방을",)


def test_a_glued_query_also_finds_the_spaced_words_glued_first():
    catalogue("누리 게이밍 노트북", "한울 게이밍노트북", "다온 노트북")
    assert names(product_search(query="게이밍노트북")) == ["한울 게이밍노트북", "누리 게이밍 노트북"]


def test_a_spaced_query_finds_the_glued_word():
    catalogue("한울 게이밍노트북", "다온 노트북")
    assert names(product_search(query="게이밍 노트북")) == ["한울 게이밍노트북"]


@pytest.mark.parametrize("budget", [3_000, 1])
@pytest.mark.parametrize("category", [False, True])
def test_a_glued_query_counts_each_product_once_its_spaced_reading_holding_the_glued_ones(
    monkeypatch, budget, category
):
    # The glued reading's matches are all the split reading's: the count reads the split one alone.
    monkeypatch.setattr(query, "COUNT_BUDGET", budget)
    monkeypatch.setattr(query, "PAGE_SIZE", 2)
    laptops = CategoryFactory(name="노트북")
    for name in (
        "누리 게이밍 노트북",
        "한울 게이밍노트북",
        "다온 게이밍노트북 가방",
        "새봄 게이밍 마우스",
        "가람 노트북",
    ):
        IndexedProductFactory(name=name, description="", category=laptops)
    refresh_frequencies()
    filters = SearchFilters(category_ids=(laptops.id,)) if category else SearchFilters()
    assert Search(analyse("게이밍노트북"), filters, "relevance").covered == {0}
    seen, cursor = [], ""
    for _ in range(5):
        page = product_search(query="게이밍노트북", filters=filters, cursor=cursor)
        seen += names(page)
        cursor = page.next_cursor
        if not cursor:
            break
    assert seen == ["다온 게이밍노트북 가방", "한울 게이밍노트북", "누리 게이밍 노트북"]
    first = product_search(query="게이밍노트북", filters=filters)
    assert first.total == 3


def test_a_synonym_reading_is_counted_even_when_a_later_reading_holds_its_matches():
    # Its own count says whether "samsung 포함 결과" is shown.
    SearchSynonym.objects.create(words="삼성, samsung")
    synonyms_changed()
    catalogue("samsung 게이밍노트북", "삼성 게이밍 노트북")
    plan = analyse("삼성 게이밍노트북")
    assert [alt.synonyms for alt in plan.alternatives] == [(), (), ("samsung",), ("samsung",)]
    assert Search(plan, SearchFilters(), "relevance").covered == {0}
    page = product_search(query="삼성 게이밍노트북")
    assert (sorted(names(page)), page.total, page.including) == (
        ["samsung 게이밍노트북", "삼성 게이밍 노트북"],
        2,
        ("samsung",),
    )


def test_letters_glued_to_digits_also_find_them_spaced_glued_first():
    catalogue("누리 노트북 RTX 4060", "한울 노트북 RTX4060", "다온 노트북 RTX 4070")
    assert names(product_search(query="RTX4060")) == ["한울 노트북 RTX4060", "누리 노트북 RTX 4060"]


def test_a_one_syllable_query_finds_compounds_ending_in_it_after_the_word_itself():
    catalogue("누리 머그컵", "한울 컵 세트", "다온 컵라면", "새봄 텐트")
    assert names(product_search(query="컵")) == ["한울 컵 세트", "누리 머그컵"]


def test_a_one_syllable_query_finds_every_compound_ending_in_it():
    catalogue("한울 백팩", "누리 마스크팩", "다온 팩토리 가방")
    assert sorted(names(product_search(query="팩"))) == ["누리 마스크팩", "한울 백팩"]


def test_a_synonym_finds_the_other_words_after_the_typed_one_and_says_so():
    catalogue("한울 삼성 노트북", "Samsung 모니터", "누리 텐트")
    SearchSynonym.objects.create(words="삼성, Samsung")
    synonyms_changed()
    page = product_search(query="samsung")
    assert names(page) == ["Samsung 모니터", "한울 삼성 노트북"]
    assert page.including == ("삼성",)


def test_a_synonym_that_finds_nothing_more_is_not_announced():
    catalogue("Samsung 모니터")
    SearchSynonym.objects.create(words="삼성, Samsung")
    synonyms_changed()
    assert product_search(query="samsung").including == ()


def test_a_one_syllable_synonym_finds_the_longer_word():
    catalogue("한울 휴대폰 케이스", "누리 텐트")
    SearchSynonym.objects.create(words="폰, 휴대폰")
    synonyms_changed()
    assert names(product_search(query="폰")) == ["한울 휴대폰 케이스"]


def test_staff_add_a_synonym_in_the_admin_and_the_next_search_uses_it(client, staff_user):
    catalogue("한울 나이키 러닝화")
    assert product_search(query="nike").products == []
    client.force_login(staff_user)
    response = client.post(reverse("admin:catalog_searchsynonym_add"), {"words": "나이키, Nike"})
    assert response.status_code == 302
    assert names(product_search(query="nike")) == ["한울 나이키 러닝화"]


def test_a_synonym_group_needs_two_different_words(client, staff_user):
    client.force_login(staff_user)
    response = client.post(reverse("admin:catalog_searchsynonym_add"), {"words": "삼성, 삼성"})
    assert response.status_code == 200
    assert not SearchSynonym.objects.exists()


@pytest.mark.parametrize(("typo", "meant"), [("냉장구", "냉장고"), ("가빙", "가방"), ("이어푼", "이어폰")])
def test_a_typo_that_finds_nothing_suggests_the_nearest_known_word(typo, meant):
    catalogue(f"한울 {meant}", f"누리 {meant}", "다온 텐트")
    page = product_search(query=typo)
    assert page.products == []
    assert page.suggestion == meant


def test_a_query_with_results_suggests_nothing():
    catalogue("한울 가방", "누리 가방", "다온 가방")
    assert product_search(query="가방").suggestion == ""


def test_the_results_page_links_the_suggestion_and_names_the_synonyms(client):
    catalogue("한울 가방", "Samsung 모니터", "한울 삼성 노트북")
    SearchSynonym.objects.create(words="삼성, Samsung")
    synonyms_changed()
    typo = client.get(reverse("catalog:search"), {"q": "가빙"}).content.decode()
    assert '<a href="/search/?q=%EA%B0%80%EB%B0%A9">가방</a>' in typo
    assert "삼성 포함 결과" in client.get(reverse("catalog:search"), {"q": "samsung"}).content.decode()


def test_jamo_spell_out_syllables_as_typed():
    assert jamo("노트북") == "ㄴㅗㅌㅡㅂㅜㄱ"
    assert jamo("노틉") == jamo("노트ㅂ") == "ㄴㅗㅌㅡㅂ"
    assert jamo("닭") == "ㄷㅏㄹㄱ"
    assert initials("노트북") == "ㄴㅌㅂ"


def test_jamo_edit_distance_counts_one_for_a_wrong_vowel():
    assert edit_distance(jamo("냉장구"), jamo("냉장고"), limit=2) == 1
    assert edit_distance(jamo("가방"), jamo("텐트"), limit=2) == 3


def test_a_typo_of_a_category_name_suggests_the_category_name():
    IndexedProductFactory(name="한울 여행가방", description="", category=CategoryFactory(name="가방", slug="bags"))
    refresh_frequencies()
    assert product_search(query="가빙").suggestion == "가방"


@pytest.mark.parametrize(
    ("token", "held"),
    [
        ("h무선청", {"h무선", "h선청"}),
        ("nh노트북", {"nh노트", "nh트북"}),
        ("h가방", set()),
        ("artx4060", {"artx", "a4060"}),
        ("nartx4060", {"nartx", "na4060"}),
        ("a4060", set()),
        ("c12", set()),
        ("w게이밍노트북", set()),
        ("a" + "x1" * 20, set()),  # cut at the token length: its last piece is not all there
    ],
)
def test_the_tokens_a_part_token_implies(token, held):
    assert implied(token) == held


@pytest.mark.parametrize("word", ["무선청소기", "노트북", "rtx4060", "256gb"])
def test_what_a_part_token_implies_the_index_adds_with_it(word):
    parts = word_parts(word)
    assert all(implied(part) <= parts for part in parts)


@pytest.mark.parametrize("typed", ["무선청소기", "RTX4060", "게이밍노트북"])
def test_every_glued_reading_is_counted_through_its_split_reading(typed):
    catalogue("한울 무선청소기", "누리 무선 청소기", "다온 노트북 RTX4060", "새봄 노트북 RTX 4060")
    catalogue("가람 게이밍노트북", "나래 게이밍 노트북")
    plan = analyse(typed)
    assert len(plan.alternatives) == 2
    assert Search(plan, SearchFilters(), "relevance").covered == {0}
    page = product_search(query=typed)
    assert (len(page.products), page.total, page.total_estimated) == (2, 2, False)
