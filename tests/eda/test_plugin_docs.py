# Copyright (c) community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""docs/eda/proxy_webhook.md is what tests/eda/plugin_docs.py generates from the plugin's DOCUMENTATION."""

import plugin_docs


def test_generated_page_is_current():
    assert plugin_docs.PAGE.read_text() == plugin_docs.render(), "run: python tests/eda/plugin_docs.py generate"
