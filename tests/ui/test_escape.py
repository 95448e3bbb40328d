"""Escape is layered: a popup first, then the filter or field, only then the screen. A field that
gets the focus keeps its text."""

import pytest

from tests.ui.conftest import demo_ctx, settle, type_text


async def test_escape_in_the_licence_filter_clears_it_then_leaves_it_then_the_screen(make_app):
    from textual.widgets import Input

    from tribe_tui.screens.licences import LicencesScreen
    from tribe_tui.screens.overview import OverviewScreen
    from tribe_tui.widgets.paged_table import PagedTable

    app = make_app("licences")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "bram")
        await settle(pilot)
        field = app.screen.query_one("#licences-filter", Input)
        assert len(app.screen.query_one(PagedTable).ids) == 1
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LicencesScreen) and field.value == "" and app.focused is field
        assert len(app.screen.query_one(PagedTable).ids) > 1
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LicencesScreen) and isinstance(app.focused, PagedTable)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)


async def test_escape_closes_a_dialog_before_anything_else(make_app):
    from tribe_tui.screens.licences import LicencesScreen
    from tribe_tui.widgets.confirm import ConfirmDialog

    app = make_app("licences")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LicencesScreen)


async def test_leaving_billing_details_with_unsaved_edits_asks_first(make_app):
    from textual.widgets import Input

    from tribe_tui.screens.billing_details import BillingDetailsScreen
    from tribe_tui.screens.overview import OverviewScreen
    from tribe_tui.services.billing_details import show
    from tribe_tui.widgets.confirm import ConfirmDialog

    app = make_app("billing-details")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        stored = show(demo_ctx()).fields["company_name"]
        await type_text(pilot, "X")
        await settle(pilot)
        field = app.screen.query_one("#field-company_name", Input)
        assert field.value == stored + "X"  # the value was not selected on focus, so not replaced
        await pilot.press("escape")  # leaves the field, the text stays
        await settle(pilot)
        assert isinstance(app.screen, BillingDetailsScreen) and app.focused is None
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")  # No: stay, edits kept
        await settle(pilot)
        assert isinstance(app.screen, BillingDetailsScreen) and field.value == stored + "X"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("right", "enter")  # Discard
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert show(demo_ctx()).fields["company_name"] == stored


async def test_leaving_billing_details_without_edits_does_not_ask(make_app):
    from tribe_tui.screens.overview import OverviewScreen

    app = make_app("billing-details")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape", "escape")  # the field, then the screen
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)


async def test_escape_leaves_a_field_before_the_screen_and_keeps_its_text(make_app):
    from textual.widgets import Input

    from tribe_tui.screens.add_licences import AddLicencesScreen
    from tribe_tui.screens.overview import OverviewScreen

    app = make_app("add-licences")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AddLicencesScreen) and app.focused is None
        assert app.screen.query_one("#add-count", Input).value == "3"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)


async def test_section_keys_and_sign_out_also_ask_before_dropping_unsaved_edits(make_app):
    """F2-F10 and Ctrl+O leave the screen too: with unsaved edits they ask first, like Escape."""
    from tribe_tui.screens.billing_details import BillingDetailsScreen
    from tribe_tui.screens.licences import LicencesScreen
    from tribe_tui.screens.sign_in import SignInScreen
    from tribe_tui.widgets.confirm import ConfirmDialog

    app = make_app("billing-details")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "X")
        await settle(pilot)
        await pilot.press("f6")  # licences, from inside the field
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")  # No: stay, the edit kept
        await settle(pilot)
        assert isinstance(app.screen, BillingDetailsScreen) and app.screen.dirty()
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog) and app.session is not None
        await pilot.press("enter")  # No: still signed in
        await settle(pilot)
        assert isinstance(app.screen, BillingDetailsScreen) and app.session is not None
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("right", "enter")  # Discard: on to the section asked for
        await settle(pilot)
        assert isinstance(app.screen, LicencesScreen)
        await pilot.press("ctrl+o")  # nothing unsaved here: straight out
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)


async def test_ctrl_q_with_unsaved_edits_asks_before_quitting(make_app):
    from tribe_tui.screens.billing_details import BillingDetailsScreen
    from tribe_tui.widgets.confirm import ConfirmDialog

    app = make_app("billing-details", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "X")
        await settle(pilot)
        await pilot.press("ctrl+q")  # from inside the field
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, ConfirmDialog), "Ctrl+Q dropped unsaved edits"
        await pilot.press("enter")  # No: stay, the edit kept
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, BillingDetailsScreen) and app.screen.dirty()
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("right", "enter")  # Discard: the app ends
        await settle(pilot)
        assert not app.is_running


@pytest.mark.parametrize("over", ["f1", "ctrl+p"], ids=["help", "palette"])
async def test_ctrl_q_from_the_help_or_palette_over_unsaved_edits_asks_over_the_form(make_app, over):
    from tribe_tui.screens.billing_details import BillingDetailsScreen
    from tribe_tui.widgets.confirm import ConfirmDialog

    app = make_app("billing-details", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "X")
        await pilot.press("escape")  # out of the field: F1 and Ctrl+P reach the screen
        await settle(pilot)
        await pilot.press(over)
        await settle(pilot)
        assert not isinstance(app.screen, BillingDetailsScreen)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, ConfirmDialog), "Ctrl+Q dropped unsaved edits"
        assert isinstance(app.screen_stack[-2], BillingDetailsScreen)
        await pilot.press("enter")  # No: back on the form, the edit kept
        await settle(pilot)
        assert isinstance(app.screen, BillingDetailsScreen) and app.screen.dirty()


async def test_ctrl_q_without_unsaved_edits_quits_at_once(make_app):
    app = make_app("billing-details", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert not app.is_running


async def test_ctrl_q_over_a_question_on_unsaved_edits_asks_about_quitting(make_app):
    """A question already open over the form (here: leave it?) is answered No first; then quitting
    asks about the unsaved edits, over the form, as Escape and Ctrl+O do."""
    from tribe_tui.screens.billing_details import BillingDetailsScreen
    from tribe_tui.widgets.confirm import ConfirmDialog

    app = make_app("billing-details", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "X")
        await pilot.press("escape", "escape")  # out of the field, then: leave the form?
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert app.is_running, "Ctrl+Q over a question dropped unsaved edits"
        assert isinstance(app.screen, ConfirmDialog) and isinstance(app.screen_stack[-2], BillingDetailsScreen)
        await pilot.press("enter")  # No: back on the form, the edit kept
        await settle(pilot)
        assert isinstance(app.screen, BillingDetailsScreen) and app.screen.dirty()
