"""The figures as a reader meets them: undefined cosines in one named grey, legible titles in the
reader's vocabulary, a colour bar, and no "nan" anywhere in a figure's text."""

import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from cossim._rocket import ROCKET_RGB  # noqa: E402
from cossim.figure1.plots import draw_figure1, draw_levels, draw_panel4, levels_title  # noqa: E402
from cossim.model.panels import MODEL_PANELS, PANEL_KEYS, colour_levels  # noqa: E402
from cossim.movielens.plots import binarisation, draw_sweep  # noqa: E402
from cossim.plotting import (  # noqa: E402
    TITLE_SIZE,
    UNDEFINED_COLOUR,
    UNDEFINED_ITEMS,
    cap_height_at,
    rocket_colormap,
)
from cossim.vocabulary import PANEL_NAMES  # noqa: E402

P = 30
EMPTY = 7  # the item without interactions


def clustered_panels(empty=(EMPTY,)) -> dict:
    """Figure 1's five matrices of P items in three clusters; the rows and columns of ``empty`` NaN."""
    rng = np.random.default_rng(0)
    cluster = np.repeat([0, 1, 2], P // 3)
    truth = (cluster[:, None] == cluster[None, :]).astype(float)
    panels = {"true_clusters": truth}
    for key in MODEL_PANELS:
        noisy = np.clip(0.7 * truth + 0.2 * rng.random((P, P)), -1, 1)
        cosine = (noisy + noisy.T) / 2
        cosine[list(empty), :] = np.nan
        cosine[:, list(empty)] = np.nan
        panels[key] = cosine
    panels["order"] = np.arange(P)
    return panels


def pixel(fig, ax, column: float, row: float) -> tuple[float, float, float]:
    """The RGB (in [0, 1]) drawn at data point (column, row) of ``ax``."""
    fig.canvas.draw()
    image = np.asarray(fig.canvas.buffer_rgba())
    x, y = ax.transData.transform((column, row))
    return tuple(image[int(round(image.shape[0] - y)), int(round(x)), :3] / 255.0)


def texts(fig) -> list[str]:
    """Every text the figure shows (titles, labels, tick labels, legends, notes)."""
    fig.canvas.draw()
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


def test_undefined_grey_is_no_colour_of_rocket():
    grey = np.array(to_rgb(UNDEFINED_COLOUR))
    assert np.linalg.norm(np.asarray(ROCKET_RGB) - grey, axis=1).min() > 0.3
    assert np.allclose(rocket_colormap()(np.nan)[:3], grey)
    # and the colour map is still seaborn's rocket at both ends and in the middle
    assert np.allclose(rocket_colormap()(0.0)[:3], ROCKET_RGB[0])
    assert np.allclose(rocket_colormap()(1.0)[:3], ROCKET_RGB[-1])
    assert np.allclose(rocket_colormap()(128 / 255)[:3], ROCKET_RGB[128])


@pytest.mark.parametrize("colour_range", [(0.0, 1.0), None])
def test_colour_levels_keep_nan_and_autoscale_over_defined_values(colour_range):
    matrix = np.array([[0.5, np.nan], [-0.5, 1.5]])
    levels = colour_levels(matrix, colour_range)
    assert np.isnan(levels[0, 1]) and np.isfinite(np.delete(levels.ravel(), 1)).all()
    # fixed: clipped to [0, 1]; autoscaled: (v - min) / (max - min) over the defined -0.5 ... 1.5
    np.testing.assert_allclose([levels[0, 0], levels[1, 0], levels[1, 1]], [0.5, 0.0, 1.0])
    assert np.isnan(colour_levels(np.full((2, 2), np.nan), None)).all()


def test_figure1_draws_an_undefined_cosine_grey_and_names_it():
    panels = clustered_panels()
    fig = draw_figure1(panels, (0.0, 1.0))
    heatmaps = [ax for ax in fig.axes if ax.images and ax.get_title()]
    assert len(heatmaps) == len(PANEL_KEYS)
    grey = np.array(to_rgb(UNDEFINED_COLOUR))
    for ax in heatmaps[1:]:  # the model panels: the empty item's row and column are grey
        np.testing.assert_allclose(pixel(fig, ax, 20, EMPTY), grey, atol=1 / 255)
        np.testing.assert_allclose(pixel(fig, ax, EMPTY, 20), grey, atol=1 / 255)
        assert np.linalg.norm(np.array(pixel(fig, ax, 20, 25)) - grey) > 0.3  # a defined cosine is not
    shown = " ".join(texts(fig))
    assert UNDEFINED_ITEMS.removeprefix("grey: ") in shown
    assert "cosine similarity" in shown
    plt.close(fig)
    fig = draw_figure1(clustered_panels(empty=()), (0.0, 1.0))
    assert "undefined" not in " ".join(texts(fig))  # nothing grey, nothing named
    plt.close(fig)


def test_figure1_titles_are_the_readers_names_and_legible_at_the_readme_width():
    fig = draw_figure1(clustered_panels(), (0.0, 1.0))
    titled = [ax for ax in fig.axes if ax.images and ax.get_title()]
    for ax, key in zip(titled, PANEL_KEYS):
        assert ax.get_title().splitlines()[0] == PANEL_NAMES[key]
        assert ax.title.get_fontsize() >= TITLE_SIZE
        assert cap_height_at(ax.title.get_fontsize(), fig.get_figwidth()) >= 9.0
    assert not any(key in text for text in texts(fig) for key in PANEL_KEYS)
    every_axes = fig.axes + [child for ax in fig.axes for child in ax.child_axes]
    bars = [ax._colorbar for ax in every_axes if getattr(ax, "_colorbar", None) is not None]
    assert len(bars) == 1 and bars[0].ax.get_xlabel() == "cosine similarity"
    assert bars[0].mappable.norm.vmin == 0.0 and bars[0].mappable.norm.vmax == 1.0
    plt.close(fig)


def test_levels_without_published_reference_draw_ours_alone_as_genre_blocks():
    blocks = {key: np.array([[0.9, 0.1, np.nan], [0.1, 0.8, 0.2], [np.nan, 0.2, 0.7]]) for key in MODEL_PANELS}
    profiles = {key: np.full((1, 4, 4), 0.5) for key in MODEL_PANELS}
    title = levels_title("movielens", False, True, "genre")
    assert "genre x genre block" in title and "published (top)" not in title
    fig = draw_levels([("ours", blocks, profiles, [10, 10, 10])], title)
    heatmaps = [ax for ax in fig.axes if ax.images]
    assert len(heatmaps) == len(MODEL_PANELS)
    shown = texts(fig)
    assert not any("published:" in text for text in shown)
    assert any("undefined" in text for text in shown)
    np.testing.assert_allclose(pixel(fig, heatmaps[0], 25, 5), to_rgb(UNDEFINED_COLOUR), atol=1 / 255)
    for ax in heatmaps:
        assert cap_height_at(ax.title.get_fontsize(), fig.get_figwidth()) >= 9.0
    plt.close(fig)


def test_no_figure_text_says_nan():
    panels = clustered_panels()
    figures = [
        draw_figure1(panels, None, annotate=True),
        draw_panel4(panels["eq1_B_Vk_sigma2"], None),
        draw_levels([], levels_title("own", False, False)),
    ]
    d_sweep = [{"family": family, "t": t, "auc": 0.6} for family in ("sigma_power", "shrinkage_power")
               for t in (0.0, 1.0)]
    remedies = [{"approach": "embedding_cosine", "auc": 0.6, "auc_min": 0.55, "auc_max": 0.62}]
    recovery = [{"panel": "eq2_unique", "auc": 0.5}]
    figures.append(draw_sweep(d_sweep, remedies, recovery, "MovieLens, an interaction = " + binarisation(4)))
    assert any("no published reference" in text for text in texts(figures[1]))
    for fig in figures:
        for text in texts(fig):
            assert not re.search(r"\bnan\b", text, re.IGNORECASE), text
        plt.close(fig)


def test_binarisation_names_what_counts_as_an_interaction():
    assert binarisation(1) == "a rating of any value"
    assert binarisation(4) == "a rating of 4 or more"
    assert binarisation(1) != binarisation(4)
