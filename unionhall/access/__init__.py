"""Roles granted on a unit or its subtree, and the scope they give (`visible_to`)."""
