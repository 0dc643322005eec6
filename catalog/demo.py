"""A realistic Korean demo catalog: a three-level category tree and products with Korean names.

Small sizes (the default few hundred) get generated placeholder images; large sizes (up to a million, for
benchmarks) are bulk-inserted without images. Names and descriptions mix 2-syllable words (가방, 우유),
compounds (게이밍노트북), particles and English/digit tokens (RTX 4060, 256GB), as shoppers' searches do.
The vocabulary gives the search benchmark its query classes: description words in 10-60% of products (배송,
선물, 포장), category words in a few percent, and rare words in about one product in 7,000.
"""

import io
import itertools
import random
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFont

from . import services
from . import stock as stock_ledger
from .models import Category, Product, ProductImage, ProductOption, ProductOptionValue, Sku, StockMovement
from .search import index

# Top level -> second level -> leaf -> (English slug, product nouns, spec words)
TREE = {
    ("가전·디지털", "digital"): {
        ("컴퓨터", "computers"): {
            ("노트북", "laptops"): (
                ["노트북", "게이밍노트북", "울트라북", "사무용노트북"],
                ["RTX 4060", "16GB", "512GB SSD", "15.6인치", "14인치"],
            ),
            ("데스크탑", "desktops"): (
                ["데스크탑", "게이밍PC", "미니PC"],
                ["RTX 4070", "32GB", "1TB", "인텔 i7", "라이젠 7"],
            ),
            ("모니터", "monitors"): (
                ["모니터", "게이밍모니터", "커브드모니터"],
                ["27인치", "32인치", "144Hz", "4K", "QHD"],
            ),
        },
        ("주방가전", "kitchen-appliances"): {
            ("전기밥솥", "rice-cookers"): (["전기밥솥", "압력밥솥", "미니밥솥"], ["6인용", "10인용", "IH"]),
            ("에어프라이어", "air-fryers"): (["에어프라이어", "오븐형에어프라이어"], ["5.5L", "12L", "대용량"]),
            ("커피머신", "coffee-machines"): (["커피머신", "캡슐커피머신", "전자동커피머신"], ["15bar", "1.2L"]),
        },
        ("생활가전", "home-appliances"): {
            ("청소기", "vacuums"): (["무선청소기", "로봇청소기", "물걸레청소기"], ["흡입력 200W", "2in1", "스테이션"]),
            ("공기청정기", "air-purifiers"): (["공기청정기", "미니공기청정기"], ["30평형", "H13 필터", "저소음"]),
        },
    },
    ("패션·잡화", "fashion"): {
        ("여성의류", "womens-clothing"): {
            ("원피스", "dresses"): (["원피스", "롱원피스", "셔츠원피스"], ["린넨", "S", "M", "L"]),
            ("블라우스", "blouses"): (["블라우스", "쉬폰블라우스"], ["프리사이즈", "오버핏"]),
        },
        ("남성의류", "mens-clothing"): {
            ("셔츠", "shirts"): (["셔츠", "옥스포드셔츠", "린넨셔츠"], ["95", "100", "105", "슬림핏"]),
            ("청바지", "jeans"): (["청바지", "와이드청바지", "스트레이트청바지"], ["30", "32", "34"]),
        },
        ("가방", "bags"): {
            ("백팩", "backpacks"): (["백팩", "노트북가방", "여행가방"], ["15.6인치 수납", "방수", "30L"]),
            ("크로스백", "crossbody-bags"): (["크로스백", "가죽가방", "미니가방"], ["소가죽", "캔버스"]),
            ("지갑", "wallets"): (["지갑", "카드지갑", "반지갑"], ["소가죽", "RFID 차단"]),
        },
    },
    ("식품", "food"): {
        ("유제품", "dairy"): {
            ("우유", "milk"): (["우유", "저지방우유", "멸균우유", "유기농우유"], ["1L", "200ml 24팩", "900ml"]),
            ("치즈", "cheese"): (["치즈", "슬라이스치즈", "모짜렐라치즈"], ["1kg", "200g"]),
            ("요거트", "yogurt"): (["요거트", "그릭요거트", "떠먹는요거트"], ["450g", "85g 8개"]),
        },
        ("과일·채소", "fruit-vegetables"): {
            ("사과", "apples"): (["사과", "부사사과", "꿀사과"], ["3kg", "5kg", "가정용"]),
            ("감귤", "tangerines"): (["감귤", "제주감귤", "한라봉"], ["5kg", "10kg", "로얄과"]),
        },
        ("간편식", "ready-meals"): {
            ("라면", "ramen"): (["라면", "컵라면", "짜장라면"], ["5개입", "40개입"]),
            ("즉석밥", "instant-rice"): (["즉석밥", "현미밥", "잡곡밥"], ["210g 24개", "130g 12개"]),
        },
    },
    ("스포츠·레저", "sports"): {
        ("신발", "shoes"): {
            ("러닝화", "running-shoes"): (["러닝화", "마라톤화", "쿠션러닝화"], ["250", "260", "270", "280"]),
            ("등산화", "hiking-boots"): (["등산화", "고어텍스등산화", "경량등산화"], ["250", "265", "280"]),
            ("운동화", "sneakers"): (["운동화", "스니커즈", "캔버스화"], ["230", "240", "260"]),
        },
        ("캠핑", "camping"): {
            ("텐트", "tents"): (["텐트", "원터치텐트", "돔텐트"], ["2인용", "4인용", "방수 3000mm"]),
            ("캠핑의자", "camping-chairs"): (["캠핑의자", "릴렉스체어", "접이식의자"], ["경량", "120kg"]),
        },
    },
    ("뷰티", "beauty"): {
        ("스킨케어", "skincare"): {
            ("크림", "creams"): (["수분크림", "영양크림", "아이크림"], ["50ml", "100ml", "민감성"]),
            ("선크림", "sunscreens"): (["선크림", "톤업선크림", "선스틱"], ["SPF50+", "PA++++", "50ml"]),
        },
        ("메이크업", "makeup"): {
            ("립스틱", "lipsticks"): (["립스틱", "틴트", "립밤"], ["3.5g", "매트", "글로우"]),
            ("쿠션", "cushions"): (["쿠션", "커버쿠션", "리필쿠션"], ["21호", "23호", "SPF50+"]),
        },
    },
}

BRANDS = ["한울", "누리", "다온", "가람", "솔빛", "미르", "새봄", "하늘채", "Nova", "Arden", "Luma", "K-Tech"]
ADJECTIVES = ["인기", "베스트", "신상", "프리미엄", "가성비", "특가", "한정판", "국내산", "정품", "데일리"]
DESCRIPTION_SENTENCES = [
    "무료배송 상품입니다.",
    "오늘 주문하면 내일 도착하는 빠른배송.",
    "정품 인증을 받은 상품입니다.",
    "꼼꼼한 품질 검수를 거쳐 출고됩니다.",
    "선물용 포장이 가능합니다.",
    "고객 만족도가 높은 스테디셀러.",
    "교환과 반품은 수령 후 7일 이내에 가능합니다.",
    "실속 있는 가격으로 만나보세요.",
]
# About one product in 7,000 mentions one of these (0.3% of products pick one of 20).
RARE_WORDS = [
    "캐시미어",
    "빈티지",
    "핸드메이드",
    "유기농면",
    "무형광",
    "저자극",
    "한정수량",
    "수제",
    "친환경",
    "비건",
    "리퍼브",
    "전시상품",
    "해외직구",
    "병행수입",
    "USB-C",
    "NFC",
    "블루투스",
    "무선충전",
    "방수팩",
    "에코백",
]
RARE_SHARE = 0.003
PALETTE = ["#1e5eff", "#e4572e", "#17bebb", "#ffc914", "#76b041", "#8e44ad", "#2e4057", "#d81159"]
KOREAN_FONT_PATHS = [
    "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf",
    "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
]
BATCH_SIZE = 5000


@dataclass
class Leaf:
    category: Category
    section: str
    nouns: list[str]
    specs: list[str]
    color: str


def build_categories() -> list[Leaf]:
    """Create the category tree (idempotent: existing slugs are reused) and return its leaves."""
    leaves = []
    for top_index, ((top_name, top_slug), middles) in enumerate(TREE.items()):
        top = _category(top_name, top_slug, None, top_index)
        for mid_index, ((mid_name, mid_slug), leaf_specs) in enumerate(middles.items()):
            middle = _category(mid_name, mid_slug, top, mid_index)
            for leaf_index, ((leaf_name, leaf_slug), (nouns, specs)) in enumerate(leaf_specs.items()):
                leaf = _category(leaf_name, leaf_slug, middle, leaf_index)
                leaves.append(Leaf(leaf, mid_name, nouns, specs, PALETTE[len(leaves) % len(PALETTE)]))
    return leaves


def _category(name, slug, parent, position):
    category, _ = Category.objects.get_or_create(
        slug=slug, defaults={"name": name, "parent": parent, "position": position}
    )
    return category


def product_fields(rng: random.Random, leaf: Leaf, number: int) -> dict:
    """One product's name, slug, description, price, stock and status; ``number`` makes the slug unique."""
    noun = rng.choice(leaf.nouns)
    specs = " ".join(rng.sample(leaf.specs, k=min(len(leaf.specs), rng.randint(1, 2))))
    name = f"{rng.choice(BRANDS)} {rng.choice(ADJECTIVES)} {noun} {specs}"
    sentences = rng.sample(DESCRIPTION_SENTENCES, k=3)
    description = f"{leaf.section} {leaf.category.name} 카테고리의 {noun}입니다. " + " ".join(sentences)
    if rng.random() < RARE_SHARE:
        description += f" {rng.choice(RARE_WORDS)} 상품."
    stock = 0 if rng.random() < 0.06 else rng.choice([3, 10, 25, 50, 100, 300])
    # A product that ran out stays on sale and shows 품절 (availability is its SKUs' stock; SOLD_OUT is staff's).
    return {
        "name": name,
        "slug": f"{slugify(noun, allow_unicode=True)}-{number}",
        "description": description,
        "price": rng.randrange(1_000, 3_000_000 if leaf.nouns[0] in ("노트북", "데스크탑") else 300_000, 100),
        "stock": stock,
        "status": Product.Status.ON_SALE,
        "category_id": leaf.category.id,
    }


def create_products(*, count: int, with_images: bool, seed: int = 42, progress=None) -> int:
    """Bulk-insert ``count`` products spread over the leaf categories; returns how many were created."""
    rng = random.Random(seed)
    leaves = build_categories()
    font = _korean_font()
    start = (Product.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    created = 0
    while created < count:
        size = min(BATCH_SIZE, count - created)
        picks = [rng.choice(leaves) for _ in range(size)]
        fields = [product_fields(rng, leaf, start + created + i) for i, leaf in enumerate(picks)]
        stocks = [row.pop("stock") for row in fields]
        batch = [Product(**row) for row in fields]
        with transaction.atomic():
            Product.objects.bulk_create(batch, batch_size=1000)
            _create_skus(rng, batch, stocks, picks)
            stock_ledger.availability_refresh(product_ids=[p.id for p in batch])
            # The import fills the search index in the same transaction (bulk_create returns the ids here).
            index.index_rows((p.id, p.name, p.description, p.category_id, p.price) for p in batch if p.is_visible)
            if with_images:
                _attach_images(Product.objects.filter(slug__in=[p.slug for p in batch]), picks, font)
        created += size
        if progress:
            progress(created, count)
    index.refresh_frequencies()
    return created


# Clothes and shoes are bought by option: every colour and size is its own SKU with its own stock.
COLOURS = ["블랙", "화이트", "네이비"]
OPTIONS_BY_CATEGORY = {
    "dresses": {"색상": COLOURS, "사이즈": ["S", "M", "L", "XL"]},
    "blouses": {"색상": COLOURS, "사이즈": ["S", "M", "L", "XL"]},
    "shirts": {"색상": COLOURS, "사이즈": ["95", "100", "105", "110"]},
    "jeans": {"색상": ["블루", "블랙"], "사이즈": ["28", "30", "32", "34"]},
    "running-shoes": {"색상": COLOURS, "사이즈": ["240", "250", "260", "270", "280"]},
    "hiking-boots": {"색상": ["블랙", "브라운"], "사이즈": ["250", "260", "270", "280"]},
    "sneakers": {"색상": COLOURS, "사이즈": ["230", "240", "250", "260", "270"]},
}
LARGE_SIZE_EXTRA_WON = {"XL": 3_000, "110": 3_000}


def _create_skus(rng: random.Random, products: list[Product], stocks: list[int], picks: list[Leaf]) -> None:
    """Each product's SKUs and their opening stock as import movements: one SKU for most products, one per
    colour and size for clothes and shoes."""
    plain = [
        (p, stock)
        for p, stock, leaf in zip(products, stocks, picks, strict=True)
        if leaf.category.slug not in OPTIONS_BY_CATEGORY
    ]
    skus = Sku.objects.bulk_create(Sku(product_id=p.id, code=f"P{p.id}", stock=stock) for p, stock in plain)
    movements = [
        StockMovement(sku=sku, delta=sku.stock, reason=StockMovement.Reason.IMPORT) for sku in skus if sku.stock
    ]
    for product, stock, leaf in zip(products, stocks, picks, strict=True):
        options = OPTIONS_BY_CATEGORY.get(leaf.category.slug)
        if options:
            movements += _create_option_skus(rng, product, options, stock)
    StockMovement.objects.bulk_create(movements, batch_size=1000)


def _create_option_skus(rng, product, options, stock) -> list[StockMovement]:
    value_lists = []
    for position, (name, values) in enumerate(options.items()):
        option = ProductOption.objects.create(product=product, name=name, position=position)
        value_lists.append(
            ProductOptionValue.objects.bulk_create(
                ProductOptionValue(option=option, name=value, position=i) for i, value in enumerate(values)
            )
        )
    movements = []
    for combination in itertools.product(*value_lists):
        sku_stock = 0 if not stock or rng.random() < 0.15 else rng.choice([2, 5, 10, 20])
        extra = sum(LARGE_SIZE_EXTRA_WON.get(value.name, 0) for value in combination)
        code = "-".join([f"P{product.id}", *(str(value.id) for value in combination)])
        sku = Sku.objects.create(product=product, code=code, stock=sku_stock, price_delta=extra)
        sku.option_values.set(combination)
        if sku_stock:
            movements.append(StockMovement(sku=sku, delta=sku_stock, reason=StockMovement.Reason.IMPORT))
    return movements


def _attach_images(products, picks, font):
    """Placeholder photos through the one image service: validated, stored, renditions scheduled."""
    leaf_by_category = {leaf.category.id: leaf for leaf in picks}
    for product in products:
        placeholder = ContentFile(_placeholder(leaf_by_category[product.category_id], product, font), "demo.webp")
        services.product_image_save(
            image=ProductImage(product=product, alt=product.name, is_primary=True), file=placeholder
        )


def _korean_font():
    for path in KOREAN_FONT_PATHS:
        if Path(path).exists():
            return path
    return None


def _placeholder(leaf: Leaf, product: Product, font_path) -> bytes:
    """A 480x480 WebP: the category's colour, a soft circle and the category name (if a Korean font exists)."""
    image = Image.new("RGB", (480, 480), leaf.color)
    draw = ImageDraw.Draw(image)
    draw.ellipse((90, 90, 390, 390), fill=_lighten(leaf.color))
    label = leaf.category.name if font_path else f"#{product.id}"
    font = ImageFont.truetype(font_path, 56) if font_path else ImageFont.load_default(size=56)
    draw.text((240, 240), label, fill=leaf.color, font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="WEBP", quality=70)
    return buffer.getvalue()


def _lighten(hex_color: str) -> str:
    red, green, blue = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(value + (255 - value) * 3 // 4 for value in (red, green, blue)))
