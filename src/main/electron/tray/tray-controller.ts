import type { Menu, MenuItemConstructorOptions, NativeImage } from 'electron';
import { buildTrayTemplate, type TrayActions } from './tray-template';
import { trayIconState, trayTooltip, type TrayIconState, type TrayState } from './tray-state';

/** The part of Electron's Tray we use. */
export interface TrayLike {
  setImage(image: NativeImage): void;
  setToolTip(text: string): void;
  setContextMenu(menu: Menu | null): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

export interface TrayControllerDeps {
  createTray(image: NativeImage): TrayLike;
  icon(state: TrayIconState): NativeImage;
  buildMenu(template: MenuItemConstructorOptions[]): Menu;
  productName: string;
  actions: TrayActions;
  /** Left click: show or hide the window. */
  onClick(): void;
}

/** Keeps one tray icon in step with the bridge: icon, tooltip and menu are redrawn on every update. */
export class TrayController {
  private tray: TrayLike | null = null;
  private iconState: TrayIconState | null = null;

  constructor(private readonly deps: TrayControllerDeps) {}

  update(state: TrayState): void {
    const iconState = trayIconState(state.snapshot);
    if (!this.tray) {
      this.tray = this.deps.createTray(this.deps.icon(iconState));
      this.tray.on('click', () => this.deps.onClick());
    } else if (iconState !== this.iconState) {
      this.tray.setImage(this.deps.icon(iconState));
    }
    this.iconState = iconState;
    this.tray.setToolTip(trayTooltip(this.deps.productName, state.snapshot));
    this.tray.setContextMenu(this.deps.buildMenu(buildTrayTemplate(state, this.deps.actions)));
  }

  destroy(): void {
    this.tray?.destroy();
    this.tray = null;
  }
}
