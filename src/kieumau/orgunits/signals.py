"""What the tree tells the domains built on it, which it may not import."""

from django.dispatch import Signal

# Sent, inside the loader's transaction, once `Reach` was rebuilt: every figure summed over what
# a unit reaches (indicators' monthly totals) must be summed again.
reach_rebuilt = Signal()
