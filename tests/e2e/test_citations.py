"""The item card shows the citations and the offered measure the server computed (one formatter, server-side)."""

from playwright.sync_api import expect

from tests.e2e.flows import sign_in_and_register, start_inspection


def test_item_card_shows_official_citations_benchmarks_and_referral(tablet, api):
    page = tablet().new_page()
    sign_in_and_register(page)
    start_inspection(page)
    card = page.locator('[data-item="basic.03"]')
    card.get_by_role("button", name="Guidance and legal basis").click()
    expect(card.locator(".legal")).to_have_text(
        "Legal basis: Work Safety Law of the PRC, Art. 36; ILO Convention No. 81, Art. 3 (benchmark)"
    )
    expect(card.get_by_test_id("usual-measure")).to_have_text(
        "Usual measure: Referral to the competent authority (emergency management (work safety supervision))"
    )
    page.get_by_test_id("lang").click()
    expect(card.locator(".legal")).to_have_text(
        "法律依据: 《中华人民共和国安全生产法》第三十六条；第81号公约第三条（参照标准）"
    )
    expect(card.get_by_test_id("usual-measure")).to_have_text(
        "通常措施: 移送有管辖权的部门（应急管理（安全生产监督管理））"
    )
