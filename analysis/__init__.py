"""Running, tabulating and (later) comparing simulation runs. Sits on top of `simulation`."""
