"""Pictures of the demo town, drawn with Pillow when the demo loads (nothing
is downloaded): the places the ideas and projects are about, each with the
description a screen reader reads. Drawn in the manner of a sunny photo of
a small French town: sky, façades, trees, streets, and the thing itself.
Every picture is the same for the same name (a seeded random generator)."""

import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1200, 800

SKY_TOP, SKY_BOTTOM = (92, 152, 214), (196, 224, 246)
STONE = [(226, 214, 190), (214, 200, 176), (236, 226, 206), (205, 190, 170)]
ROOFS = [(120, 70, 56), (96, 96, 104), (140, 82, 60)]
LEAVES = [(62, 122, 58), (78, 140, 66), (50, 104, 52)]


def _canvas(seed: str, *, dusk: bool = False):
    rng = random.Random(seed)
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    top, bottom = ((34, 40, 88), (236, 150, 96)) if dusk else (SKY_TOP, SKY_BOTTOM)
    for y in range(HEIGHT):
        t = y / HEIGHT
        draw.line([(0, y), (WIDTH, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom)))
    if not dusk:
        for _ in range(rng.randint(2, 4)):  # clouds
            x, y = rng.randint(0, WIDTH), rng.randint(40, 200)
            for dx in range(0, 160, 40):
                r = rng.randint(26, 44)
                draw.ellipse([x + dx - r, y - r, x + dx + r, y + r // 1.4], fill=(246, 248, 252))
    return image, draw, rng


def _ground(draw, horizon, colour=(122, 168, 84)):
    draw.rectangle([0, horizon, WIDTH, HEIGHT], fill=colour)


def _facades(draw, rng, horizon, *, count=5):
    x = -20
    while x < WIDTH:
        w, h = rng.randint(150, 240), rng.randint(170, 260)
        colour = rng.choice(STONE)
        draw.rectangle([x, horizon - h, x + w, horizon], fill=colour, outline=(150, 140, 125))
        draw.polygon(
            [(x - 8, horizon - h), (x + w // 2, horizon - h - 50), (x + w + 8, horizon - h)], fill=rng.choice(ROOFS)
        )
        for row in range(1, h // 70 + 1):
            for col in range(w // 60):
                wx, wy = x + 20 + col * 60, horizon - h + 20 + (row - 1) * 70
                if wy + 40 < horizon - 20:
                    draw.rectangle([wx, wy, wx + 28, wy + 40], fill=(86, 112, 140), outline=(240, 240, 236), width=3)
        x += w + rng.randint(0, 12)


def _tree(draw, rng, x, base, size=1.0, fruit=None):
    trunk = int(90 * size)
    draw.rectangle([x - 8 * size, base - trunk, x + 8 * size, base], fill=(104, 74, 50))
    for _ in range(7):
        r = int(rng.randint(40, 62) * size)
        cx, cy = x + rng.randint(-40, 40) * size, base - trunk - rng.randint(10, 70) * size
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=rng.choice(LEAVES))
    if fruit:
        for _ in range(14):
            fx, fy = x + rng.randint(-70, 70) * size, base - trunk - rng.randint(0, 100) * size
            draw.ellipse([fx - 6, fy - 6, fx + 6, fy + 6], fill=fruit)


def _bench(draw, x, y, width=160):
    wood, iron = (150, 102, 60), (60, 64, 70)
    draw.rectangle([x, y - 50, x + width, y - 40], fill=wood)
    draw.rectangle([x, y - 30, x + width, y - 20], fill=wood)
    for leg in (x + 10, x + width - 20):
        draw.rectangle([leg, y - 50, leg + 8, y], fill=iron)


def _bike(draw, x, y, colour=(200, 40, 40)):
    r = 30
    draw.ellipse([x - r, y - r, x + r, y + r], outline=(30, 30, 30), width=5)
    draw.ellipse([x + 90 - r, y - r, x + 90 + r, y + r], outline=(30, 30, 30), width=5)
    draw.line([(x, y), (x + 40, y - 45), (x + 90, y), (x + 50, y), (x, y)], fill=colour, width=6)
    draw.line([(x + 40, y - 45), (x + 35, y - 60), (x + 80, y - 55), (x + 90, y)], fill=colour, width=6)


def _noise(image, rng):
    """A little grain and softness, as a photo has."""
    grain = Image.effect_noise((WIDTH // 2, HEIGHT // 2), 18).resize((WIDTH, HEIGHT)).convert("RGB")
    return Image.blend(image.filter(ImageFilter.SMOOTH), grain, 0.06)


# --- the scenes -----------------------------------------------------------------------------


def _street_with_bikes(seed):
    image, draw, rng = _canvas(seed)
    horizon = 520
    _facades(draw, rng, horizon)
    draw.rectangle([0, horizon, WIDTH, HEIGHT], fill=(190, 186, 178))  # the forecourt's paving
    for x in range(0, WIDTH, 60):
        draw.line([(x, horizon), (x - 120, HEIGHT)], fill=(172, 168, 160), width=2)
    for i, x in enumerate(range(120, 1100, 190)):
        draw.arc([x - 30, 590, x + 40, 680], 180, 360, fill=(70, 74, 80), width=9)  # a rack
        _bike(draw, x - 40, 690, colour=[(200, 40, 40), (40, 90, 170), (40, 140, 80)][i % 3])
    return _noise(image, rng)


def _cycle_lane(seed):
    image, draw, rng = _canvas(seed)
    horizon = 430
    _facades(draw, rng, horizon)
    draw.rectangle([0, horizon, WIDTH, HEIGHT], fill=(178, 174, 166))  # pavements
    draw.polygon([(540, horizon), (660, horizon), (1200, HEIGHT), (0, HEIGHT)], fill=(80, 82, 88))
    draw.polygon([(640, horizon), (660, horizon), (1200, HEIGHT), (980, HEIGHT)], fill=(60, 150, 90))
    for t in range(0, 10):
        y = horizon + (HEIGHT - horizon) * t / 10
        draw.line(
            [(600 - (y - horizon) * 0.35, y), (600 - (y - horizon) * 0.35, y + 20)], fill=(240, 240, 240), width=4
        )
    _bike(draw, 930, 700, (240, 190, 40))
    _tree(draw, rng, 80, 640, 1.2)
    return _noise(image, rng)


def _pitch(seed, *, basketball=False):
    image, draw, rng = _canvas(seed)
    horizon = 360
    _facades(draw, rng, horizon)
    _ground(draw, horizon, (110, 150, 90))
    court = (184, 84, 64) if basketball else (70, 130, 180)
    draw.polygon([(200, 440), (1000, 440), (1160, 760), (40, 760)], fill=court, outline=(240, 240, 240))
    draw.line([(600, 440), (600, 760)], fill=(240, 240, 240), width=5)
    draw.ellipse([520, 560, 680, 640], outline=(240, 240, 240), width=5)
    if basketball:
        for x in (150, 1050):
            draw.rectangle([x - 5, 380, x + 5, 560], fill=(60, 60, 60))
            draw.rectangle([x - 40, 370, x + 40, 420], fill=(240, 240, 240), outline=(40, 40, 40), width=3)
            draw.ellipse([x - 22, 418, x + 22, 432], outline=(230, 90, 30), width=5)
    else:
        for x in range(40, 1180, 22):  # the fence
            draw.line([(x, 420), (x, 760)], fill=(90, 96, 100), width=2)
        for x in (220, 980):
            draw.rectangle([x - 60, 470, x + 60, 540], outline=(250, 250, 250), width=6)
    return _noise(image, rng)


def _riverside(seed, *, gym=False, dusk=False):
    image, draw, rng = _canvas(seed, dusk=dusk)
    horizon = 420
    _ground(draw, horizon, (96, 140, 78))
    draw.polygon([(0, 470), (1200, 430), (1200, 560), (0, 620)], fill=(70, 120, 160) if not dusk else (50, 60, 110))
    for i in range(12):
        x = rng.randint(0, WIDTH)
        draw.line([(x, 500 + rng.randint(0, 60)), (x + 60, 500 + rng.randint(0, 60))], fill=(200, 220, 235), width=2)
    draw.polygon([(0, 660), (1200, 600), (1200, 680), (0, 760)], fill=(206, 190, 150))  # the path
    for x in (80, 420, 900):
        _tree(draw, rng, x, 610, 0.9)
    if gym:
        for x in (520, 640, 760):
            draw.rectangle([x, 560, x + 10, 690], fill=(60, 70, 80))
            draw.rectangle([x + 70, 560, x + 80, 690], fill=(60, 70, 80))
            draw.rectangle([x, 560, x + 80, 570], fill=(230, 120, 30))
    if dusk:
        for x in range(100, 1200, 220):  # soft lights along the path
            draw.rectangle([x, 560, x + 6, 690], fill=(50, 50, 60))
            draw.ellipse([x - 18, 540, x + 24, 576], fill=(255, 220, 140))
    return _noise(image, rng)


def _book_box(seed):
    image, draw, rng = _canvas(seed)
    horizon = 500
    _facades(draw, rng, horizon)
    draw.rectangle([0, horizon, WIDTH, HEIGHT], fill=(188, 184, 176))
    draw.rectangle([585, 520, 615, 760], fill=(110, 78, 52))
    draw.rectangle([470, 300, 730, 530], fill=(176, 118, 70), outline=(90, 60, 40), width=6)
    draw.polygon([(450, 300), (600, 210), (750, 300)], fill=(80, 120, 90))
    draw.rectangle([495, 325, 705, 505], fill=(230, 236, 240), outline=(90, 60, 40), width=4)
    for shelf in (415, 500):
        x = 500
        while x < 700:
            w = rng.randint(10, 22)
            h = rng.randint(50, 78)
            draw.rectangle(
                [x, shelf - h, x + w, shelf],
                fill=rng.choice([(180, 40, 50), (40, 80, 150), (230, 190, 60), (60, 130, 90)]),
            )
            x += w + 2
    return _noise(image, rng)


def _park_stage(seed):
    image, draw, rng = _canvas(seed, dusk=True)
    horizon = 470
    _ground(draw, horizon, (70, 110, 60))
    for x in (60, 1120):
        _tree(draw, rng, x, 520, 1.3)
    draw.rectangle([330, 340, 870, 520], fill=(40, 40, 48))
    draw.polygon([(300, 340), (600, 250), (900, 340)], fill=(200, 60, 60))
    for x in range(360, 860, 70):
        draw.ellipse([x, 350, x + 30, 380], fill=(255, 230, 150))
    for _ in range(60):  # the audience
        x, y = rng.randint(0, WIDTH), rng.randint(560, 780)
        draw.ellipse([x - 14, y - 40, x + 14, y - 12], fill=(40, 30, 30))
        draw.rectangle([x - 18, y - 12, x + 18, y + 30], fill=rng.choice([(60, 80, 140), (140, 60, 60), (70, 110, 70)]))
    return _noise(image, rng)


def _orchard(seed, *, plots=False):
    image, draw, rng = _canvas(seed)
    horizon = 380
    _facades(draw, rng, horizon)
    _ground(draw, horizon, (118, 160, 80))
    if plots:
        for row, y in enumerate(range(460, 800, 90)):
            for col, x in enumerate(range(40, 1200, 230)):
                draw.rectangle([x, y, x + 200, y + 70], fill=(120, 86, 60), outline=(150, 110, 70), width=6)
                for k in range(6):
                    px = x + 20 + k * 30
                    draw.ellipse([px - 9, y + 20, px + 9, y + 40], fill=rng.choice(LEAVES))
    else:
        for y, size in ((470, 0.7), (600, 0.9), (760, 1.1)):
            for x in range(120 if y != 600 else 260, 1200, 300):
                _tree(draw, rng, x, y, size, fruit=(220, 60, 50) if y != 600 else (240, 180, 50))
    return _noise(image, rng)


def _schoolyard(seed):
    image, draw, rng = _canvas(seed)
    horizon = 440
    draw.rectangle([100, 180, 1100, horizon], fill=(232, 220, 196), outline=(160, 150, 130))
    for x in range(150, 1060, 110):
        draw.rectangle([x, 230, x + 60, 320], fill=(90, 120, 150), outline=(250, 250, 250), width=4)
    draw.rectangle([0, horizon, WIDTH, HEIGHT], fill=(170, 130, 90))  # wood chips
    for x in (200, 600, 1000):
        draw.ellipse([x - 110, 560, x + 110, 640], fill=(90, 60, 40))
        _tree(draw, rng, x, 600, 1.0)
    return _noise(image, rng)


def _benches(seed):
    image, draw, rng = _canvas(seed)
    horizon = 470
    _facades(draw, rng, horizon)
    draw.rectangle([0, horizon, WIDTH, HEIGHT], fill=(196, 190, 180))
    for x in range(0, WIDTH, 80):
        draw.line([(x, horizon), (x, HEIGHT)], fill=(182, 176, 166), width=2)
    for x in (150, 550, 950):
        _tree(draw, rng, x + 200, 640, 1.0)
        _bench(draw, x, 720)
    return _noise(image, rng)


def _playground(seed):
    image, draw, rng = _canvas(seed)
    horizon = 430
    _ground(draw, horizon)
    draw.rectangle([100, 520, 1100, 780], fill=(70, 150, 170))  # the soft floor
    draw.rectangle([300, 420, 420, 620], fill=(240, 200, 60), outline=(120, 90, 30), width=4)
    draw.polygon([(420, 430), (640, 660), (600, 680), (400, 470)], fill=(220, 70, 60))
    for x in (760, 880):  # swings
        draw.line([(700, 400), (960, 400)], fill=(80, 80, 90), width=10)
        draw.line([(x, 400), (x, 600)], fill=(80, 80, 90), width=3)
        draw.line([(x + 50, 400), (x + 50, 600)], fill=(80, 80, 90), width=3)
        draw.rectangle([x - 5, 598, x + 55, 612], fill=(60, 120, 200))
    _tree(draw, rng, 1080, 520, 1.1)
    return _noise(image, rng)


def _crossing(seed):
    image, draw, rng = _canvas(seed)
    horizon = 450
    _facades(draw, rng, horizon)
    draw.rectangle([0, horizon, WIDTH, HEIGHT], fill=(78, 80, 86))
    draw.polygon([(0, 560), (1200, 560), (1200, 700), (0, 700)], fill=(170, 120, 100))  # the raised plateau
    for x in range(60, 1200, 110):
        draw.rectangle([x, 575, x + 60, 685], fill=(245, 245, 245))
    draw.rectangle([1050, 300, 1060, 560], fill=(60, 60, 66))
    draw.polygon([(1000, 300), (1110, 300), (1055, 210)], fill=(245, 245, 245), outline=(200, 30, 30))
    return _noise(image, rng)


def _shelter(seed):
    image, draw, rng = _canvas(seed)
    horizon = 480
    _facades(draw, rng, horizon)
    draw.rectangle([0, horizon, WIDTH, HEIGHT], fill=(190, 186, 180))
    draw.rectangle([150, 360, 1050, 380], fill=(70, 90, 110))
    for x in (160, 1030):
        draw.rectangle([x, 380, x + 12, 720], fill=(70, 90, 110))
    draw.rectangle([170, 380, 1030, 720], outline=(150, 170, 190), width=3)
    for i, x in enumerate(range(220, 1000, 140)):
        _bike(draw, x, 700, [(40, 90, 170), (200, 40, 40), (60, 60, 60)][i % 3])
    return _noise(image, rng)


def _skatepark(seed):
    image, draw, rng = _canvas(seed)
    horizon = 400
    _ground(draw, horizon, (120, 160, 90))
    draw.rectangle([0, 480, WIDTH, HEIGHT], fill=(196, 196, 192))
    draw.pieslice([80, 380, 520, 820], 180, 270, fill=(170, 170, 166), outline=(120, 120, 118), width=4)
    draw.rectangle([60, 360, 300, 380], fill=(90, 90, 96))
    draw.polygon([(640, 700), (900, 540), (1100, 540), (1100, 700)], fill=(176, 176, 172), outline=(120, 120, 118))
    draw.line([(900, 540), (1100, 540)], fill=(80, 80, 86), width=8)
    draw.ellipse([540, 560, 580, 600], fill=(60, 40, 30))  # a rider
    draw.line([(560, 600), (560, 660)], fill=(40, 60, 140), width=14)
    draw.line([(520, 672), (600, 672)], fill=(220, 120, 30), width=8)
    return _noise(image, rng)


def _mural(seed):
    image, draw, rng = _canvas(seed)
    horizon = 640
    draw.rectangle([0, 140, WIDTH, horizon], fill=(222, 214, 198))
    for _ in range(26):
        x, y, r = rng.randint(40, 1160), rng.randint(180, 600), rng.randint(30, 110)
        colour = rng.choice([(230, 90, 60), (40, 120, 190), (240, 200, 50), (80, 170, 110), (160, 80, 170)])
        if rng.random() < 0.5:
            draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)
        else:
            draw.polygon([(x, y - r), (x + r, y + r), (x - r, y + r)], fill=colour)
    draw.rectangle([0, horizon, WIDTH, HEIGHT], fill=(182, 178, 170))
    return _noise(image, rng)


def _toilets(seed):
    image, draw, rng = _canvas(seed)
    horizon = 560
    _ground(draw, horizon)
    _tree(draw, rng, 160, 600, 1.3)
    _tree(draw, rng, 1060, 600, 1.2)
    draw.rectangle([380, 300, 820, 600], fill=(200, 206, 210), outline=(120, 130, 140), width=5)
    draw.rectangle([360, 280, 840, 310], fill=(90, 110, 120))
    for x in (430, 640):
        draw.rectangle([x, 380, x + 130, 600], fill=(60, 110, 150))
    draw.ellipse([475, 330, 525, 375], fill=(30, 90, 180))  # the accessible sign
    draw.rectangle([380, 600, 820, 640], fill=(196, 190, 180))
    return _noise(image, rng)


def _compost(seed):
    image, draw, rng = _canvas(seed)
    horizon = 430
    _facades(draw, rng, horizon)
    _ground(draw, horizon)
    for x in (220, 520, 820):
        draw.rectangle([x, 480, x + 240, 700], fill=(160, 112, 70), outline=(110, 76, 46), width=5)
        for y in range(500, 700, 40):
            draw.line([(x, y), (x + 240, y)], fill=(120, 84, 52), width=3)
        draw.rectangle([x - 10, 460, x + 250, 482], fill=(120, 150, 90))
    return _noise(image, rng)


SCENES = {
    "bikes": _street_with_bikes,
    "cycle_lane": _cycle_lane,
    "pitch": _pitch,
    "basketball": lambda seed: _pitch(seed, basketball=True),
    "riverside_gym": lambda seed: _riverside(seed, gym=True),
    "riverside_lights": lambda seed: _riverside(seed, dusk=True),
    "book_box": _book_box,
    "stage": _park_stage,
    "orchard": _orchard,
    "garden": lambda seed: _orchard(seed, plots=True),
    "schoolyard": _schoolyard,
    "benches": _benches,
    "playground": _playground,
    "crossing": _crossing,
    "shelter": _shelter,
    "skatepark": _skatepark,
    "mural": _mural,
    "toilets": _toilets,
    "compost": _compost,
}


def draw_scene(scene: str, seed: str) -> bytes:
    """A JPEG of the scene, the same for the same seed."""
    image = SCENES[scene](f"{scene}:{seed}")
    output = io.BytesIO()
    image.save(output, "JPEG", quality=84)
    return output.getvalue()


def draw_favicon(colour: tuple[int, int, int] = (29, 79, 145), size: int = 64) -> bytes:
    """The demo town's favicon, a PNG: a bridge over the Loire, white on the
    town's main colour (a rounded square, legible at 16 pixels)."""
    scale = 4  # drawn large, then reduced: smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle([0, 0, big - 1, big - 1], radius=big // 5, fill=(*colour, 255))
    white, blue = (255, 255, 255, 255), (*colour, 255)
    top, bottom = int(big * 0.30), int(big * 0.60)
    draw.rectangle([big * 0.10, top, big * 0.90, bottom], fill=white)  # the bridge
    span = big * 0.80 / 3
    for n in range(3):  # its three arches, cut out of it
        x0 = big * 0.10 + n * span + span * 0.14
        x1 = x0 + span * 0.72
        draw.ellipse([x0, top + big * 0.10, x1, bottom + (x1 - x0) * 0.5], fill=blue)
    draw.rectangle([big * 0.10, bottom, big * 0.90, big * 0.66], fill=blue)
    for y in (0.74, 0.86):  # the Loire
        points = [
            (big * (0.12 + 0.76 * i / 40), big * y + big * 0.025 * math.sin(i / 40 * 4 * math.pi)) for i in range(41)
        ]
        draw.line(points, fill=white, width=big // 18, joint="curve")
    output = io.BytesIO()
    image.resize((size, size), Image.Resampling.LANCZOS).save(output, "PNG")
    return output.getvalue()
